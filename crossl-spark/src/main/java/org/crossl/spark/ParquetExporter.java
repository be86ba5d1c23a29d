package org.crossl.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.data.WindowExporter;
import org.crossl.core.model.ModelAssembler;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code crossl data --export parquet DIR}: every window of the config's data as Parquet
 * ({@link ParquetWindows}), written through Spark SQL's Parquet data source, so that the output
 * goes through Spark's commit protocol (a {@code _SUCCESS} marker once every task's file is in
 * place) on any Hadoop file system. The executors read the data; each task writes a contiguous
 * slice of every split.
 */
public final class ParquetExporter implements WindowExporter {

    @Override
    public String format() {
        return "parquet";
    }

    @Override
    public String export(ExperimentConfig config, ModelAssembler assembler, Path dataRoot, String out, boolean overwrite,
                         Map<String, String> options) {
        long t0 = System.nanoTime();
        try (SparkJobs.Session session = SparkJobs.open("crossl data --export parquet", options)) {
            SparkSession spark = session.spark;
            JavaSparkContext sc = session.sc;
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out);
            FileSystem fs = target.getFileSystem(sc.hadoopConfiguration());
            if (fs.exists(target) && !overwrite && fs.listStatus(target).length > 0) {
                throw new IllegalArgumentException(out + " already holds files; choose another DIR or pass --force to replace them");
            }
            JobSpec job = SparkJobs.job(config, assembler, dataRoot, 1);
            int tasks = Math.max(1, sc.defaultParallelism());
            // the metadata (read in an executor) names the modalities the rows' columns are made of
            ObjectNode meta;
            try {
                meta = (ObjectNode) Json.JSON.readTree(session.tasks(1).map(new Metadata(job)).collect().get(0));
            } catch (RuntimeException e) {
                throw SparkErrors.unwrap(e, "reading the data", null);
            }
            List<String> modalities = new java.util.ArrayList<>();
            meta.get("modalities").forEach(m -> modalities.add(m.get("name").asText()));
            ParquetWindows.checkNames(modalities);
            JavaRDD<Row> rows = session.tasks(tasks).flatMap(new Slice(job, tasks));
            try {
                spark.createDataFrame(rows, ParquetWindows.schema(modalities)).write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                        .parquet(out);
            } catch (RuntimeException e) {
                throw SparkErrors.unwrap(e, "writing " + out, null);
            }
            try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path(target, ParquetWindows.METADATA), true)) {
                o.write(Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta).getBytes(StandardCharsets.UTF_8));
            }
            var w = meta.get("windows");
            return String.format(Locale.ROOT, "wrote %d windows (train %d, validation %d, test %d; %d modalities) as Parquet to %s in %.1f s",
                    w.get("train").asInt() + w.get("validation").asInt() + w.get("test").asInt(), w.get("train").asInt(),
                    w.get("validation").asInt(), w.get("test").asInt(), modalities.size(), out, (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not write " + out + ": " + e.getMessage(), e);
        }
    }

    /** Task t's rows: the t-th of {@code tasks} contiguous slices of every split, read on the executor. */
    static final class Slice implements FlatMapFunction<Integer, Row> {
        private final JobSpec job;
        private final int tasks;

        Slice(JobSpec job, int tasks) {
            this.job = job;
            this.tasks = tasks;
        }

        @Override
        public Iterator<Row> call(Integer t) {
            DataSplits s = ExecutorData.of(job).splits();
            List<Row> rows = new ArrayList<>();
            for (int k = 0; k < ParquetWindows.SPLITS.length; k++) {
                WindowDataset d = ParquetWindows.split(s, k);
                int n = d.size();
                int[] range = SparkJobs.slice(n, t, tasks);
                int from = range[0];
                int to = range[1];
                int m = d.modalities().size();
                float[] presence = n == 0 ? new float[0] : d.presence().castTo(DataType.FLOAT).dup('c').data().asFloat();
                int[] labels = d.labels();
                int[] subjects = d.subjects();
                for (int i = from; i < to; i++) {
                    Object[] row = new Object[5 + m];
                    row[0] = ParquetWindows.SPLITS[k];
                    row[1] = i;
                    row[2] = subjects[i];
                    row[3] = labels[i];
                    row[4] = java.util.Arrays.copyOfRange(presence, i * m, (i + 1) * m);
                    for (int j = 0; j < m; j++) {
                        float[] x = new float[d.length(j) * d.modalities().get(j).channels()];
                        d.store(j).read(i, x, 0);
                        row[5 + j] = x;
                    }
                    rows.add(RowFactory.create(row));
                }
            }
            return rows.iterator();
        }
    }

    /** The metadata file's content, from an executor's copy of the data. */
    static final class Metadata implements org.apache.spark.api.java.function.Function<Integer, String> {
        private final JobSpec job;

        Metadata(JobSpec job) {
            this.job = job;
        }

        @Override
        public String call(Integer ignored) throws IOException {
            ExecutorData data = ExecutorData.of(job);
            return Json.JSON.writeValueAsString(ParquetWindows.metadata(data.splits(), Json.tree(data.loaded.resolvedSection())));
        }
    }
}
