package org.crossl.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.cli.Main;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModalityAlignment;
import org.crossl.core.model.ModelIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The spark engine through the command line, as a user runs it (the launcher's class path is the
 * test's): {@code pretrain --engine spark}, {@code embed --engine spark} (Parquet equal to the local
 * embedding to 1e-6) and {@code data --export parquet}.
 */
class SparkCommandsTest {
    private static final String DATA = Path.of(System.getProperty("crossl.data", "../../shared/data")).toString();

    @TempDir
    Path tmp;

    @AfterEach
    void forget() {
        ExecutorData.clear();
        Tasks.Worker.clear();
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void pretrainThenEmbedOnSparkFromTheCommandLine() throws Exception {
        Path run = tmp.resolve("run");
        Result p = run("pretrain", "--engine", "spark", "--master", "local[2]", "--preset", "basicmotions", "--set", "training.epochs=2",
                "--data-root", DATA, "--out", run.toString());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out()).contains("linear probe on Z is skipped");
        var record = Json.JSON.readTree(run.resolve("run.json").toFile());
        assertThat(record.path("status").asText()).isEqualTo("finished");
        assertThat(record.path("engine").path("name").asText()).isEqualTo("spark");
        assertThat(record.path("engine").path("options").path("master").asText()).isEqualTo("local[2]");
        assertThat(record.path("engine").path("windowsPerAveragedStep").asInt()).isEqualTo(8);

        Path emb = tmp.resolve("z.parquet");
        Result e = run("embed", "--engine", "spark", "--master", "local[2]", "--model", run.toString(), "--preset", "basicmotions",
                "--data-root", DATA, "--out", emb.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(emb.resolve("_SUCCESS")).exists();

        CrosslModel model = ModelIO.load(run.resolve("model"), Crossl.assembler());
        DataSplits splits = Crossl.assembler().loadData(ExperimentConfig.load(Path.of("../presets/basicmotions.yaml")), Path.of(DATA)).splits();
        Map<String, float[]> spark = new HashMap<>();
        SparkSession s = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<Row> rows = s.read().parquet(emb.toString()).collectAsList();
            for (Row r : rows) {
                List<Float> z = r.getList(r.fieldIndex("z"));
                float[] f = new float[z.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = z.get(i);
                }
                spark.put(r.getString(0) + "/" + r.getInt(1), f);
            }
        } finally {
            s.stop();
        }
        int total = 0;
        double worst = 0;
        for (int k = 0; k < 3; k++) {
            WindowDataset d = ParquetWindows.split(splits, k);
            if (d.size() == 0) {
                continue;
            }
            INDArray z = model.embed(ModalityAlignment.toModel(model.modalities(), d), 256).castTo(DataType.FLOAT);
            for (int i = 0; i < d.size(); i++) {
                float[] row = spark.get(ParquetWindows.SPLITS[k] + "/" + i);
                assertThat(row).as("window %d of %s", i, ParquetWindows.SPLITS[k]).isNotNull().hasSize((int) z.size(1));
                for (int c = 0; c < row.length; c++) {
                    worst = Math.max(worst, Math.abs(row[c] - z.getFloat(i, c)));
                }
                total++;
            }
        }
        assertThat(spark).hasSize(total);
        assertThat(worst).as("largest difference from the local embedding").isCloseTo(0, within(1e-6));
    }

    @Test
    void evaluateOnSparkGivesTheLocalCommandsRecords() throws Exception {
        String[] common = {"--preset", "basicmotions", "--data-root", DATA, "--set", "training.epochs=3", "--set",
                "evaluation={arms: [crossl-probe, crossl-finetune, supervised], seeds: [0], labelFractions: [0.25, 1.0], headEpochs: 3}"};
        Path local = tmp.resolve("local");
        Result l = run(concat(new String[] {"evaluate", "--out", local.toString()}, common));
        assertThat(l.code()).as(l.err()).isZero();
        Path spark = tmp.resolve("spark");
        Result s = run(concat(new String[] {"evaluate", "--engine", "spark", "--master", "local[2]", "--out", spark.toString()}, common));
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.out()).contains("1 pretrainings to compute as units", "6 records to compute as units");
        var a = Json.JSON.readTree(local.resolve("results.json").toFile()).path("records");
        var b = Json.JSON.readTree(spark.resolve("results.json").toFile()).path("records");
        assertThat(b.size()).isEqualTo(6);
        assertThat(b).isEqualTo(a); // every score, to the last digit
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void dataExportParquetFromTheCommandLine() {
        Path out = tmp.resolve("bm");
        Result r = run("data", "--export", "parquet", out.toString(), "--master", "local[1]", "--preset", "basicmotions", "--data-root", DATA);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("as Parquet to " + out);
        Result again = run("data", "--export", "parquet", out.toString(), "--master", "local[1]", "--preset", "basicmotions", "--data-root", DATA);
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("already holds files", "--force");
        Result forced = run("data", "--export", "parquet", out.toString(), "--force", "--master", "local[1]", "--preset", "basicmotions",
                "--data-root", DATA);
        assertThat(forced.code()).as(forced.err()).isZero();
    }
}
