package org.crossl.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Parameter;
import org.crossl.core.Crossl;
import org.crossl.core.PretrainEngine;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.WindowExporter;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crossl data --export parquet} on real windows (BasicMotions), read back by the
 * {@code parquet} dataset reader: the same windows, labels, subjects and presence, and the spark
 * engine trains on them exactly as on the original files.
 */
class ParquetWindowsTest {
    private static final Path DATA = Path.of(System.getProperty("crossl.data", "../../shared/data"));

    @TempDir
    Path tmp;

    @AfterEach
    void forget() {
        ExecutorData.clear();
        Tasks.Worker.clear();
    }

    private static ExperimentConfig basicMotions() {
        return ExperimentConfig.load(Path.of("../presets/basicmotions.yaml")).with("training.epochs", "2");
    }

    @Test
    void exportedWindowsReadBackTheSameAndTrainTheSame() throws Exception {
        ExperimentConfig original = basicMotions();
        Path out = tmp.resolve("bm-parquet");
        String summary = WindowExporter.named("parquet").export(original, Crossl.assembler(), DATA, out.toString(), false,
                Map.of("master", "local[2]"));
        assertThat(summary).contains("as Parquet to " + out);
        assertThat(out.resolve("_SUCCESS")).exists(); // Spark's commit protocol finished
        assertThat(out.resolve(ParquetWindows.METADATA)).exists();
        try (var files = Files.list(out)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count()).isEqualTo(2); // one per task
        }

        ExperimentConfig fromParquet = original.with("data", "{type: parquet, path: " + out.toAbsolutePath() + "}");
        DataSplits a = Crossl.assembler().loadData(original, DATA).splits();
        DataSplits b = Crossl.assembler().loadData(fromParquet, DATA).splits();
        for (int k = 0; k < 3; k++) {
            WindowDataset x = ParquetWindows.split(a, k);
            WindowDataset y = ParquetWindows.split(b, k);
            assertThat(y.size()).isEqualTo(x.size());
            assertThat(y.modalities()).isEqualTo(x.modalities());
            assertThat(y.classNames()).isEqualTo(x.classNames());
            assertThat(y.labels()).containsExactly(x.labels());
            assertThat(y.subjects()).containsExactly(x.subjects());
            assertThat(y.presence().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)).isEqualTo(x.presence().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
            for (int m = 0; m < x.modalities().size(); m++) {
                assertThat(y.data(m)).as("split %d modality %d", k, m).isEqualTo(x.data(m));
            }
        }
        assertThat(b.description()).containsEntry("type", "parquet");

        float[] local = train("local", Map.of(), original);
        float[] spark = train("spark", Map.of("master", "local[1]"), fromParquet);
        assertThat(spark).containsExactly(local);

        assertThatThrownBy(() -> WindowExporter.named("parquet").export(original, Crossl.assembler(), DATA, out.toString(), false,
                Map.of("master", "local[1]"))).hasMessageContaining("already holds files").hasMessageContaining("--force");
    }

    @Test
    void aFolderThatIsNotAnExportIsNamed() {
        ExperimentConfig c = basicMotions().with("data", "{type: parquet, path: " + tmp.toAbsolutePath() + "}");
        assertThatThrownBy(() -> Crossl.assembler().loadData(c, DATA)).hasMessageContaining(ParquetWindows.METADATA)
                .hasMessageContaining("--export parquet");
    }

    private static float[] train(String engine, Map<String, String> options, ExperimentConfig config) {
        try (PretrainEngine.Session s = PretrainEngine.named(engine).open(config, Crossl.assembler(), DATA, options)) {
            PretrainResult r = s.fit(new TrainingListener() {
            }, null);
            assertThat(r.history()).hasSize(2);
            return FlatState.flatten(s.assembled().model().namedParameters().values().stream().map(Parameter::value).toList());
        }
    }

}
