package org.crossl.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.EmbedEngine;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModalityAlignment;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.model.ModelIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code crossl embed --engine spark --out DIR}: every window of the config's data embedded in
 * Spark tasks, written as Parquet through Spark SQL (its commit protocol), one row per window:
 * {@code split string, index int, subject int, label int (−1 unlabelled), label_name string (null
 * when unlabelled), z array<float>}. The model directory's files are broadcast, so executors need
 * no shared copy; each task reads the data itself and embeds a contiguous slice of every split with
 * the model's own normaliser, as {@code crossl embed} does. Windows carry their position in the
 * split ({@code index}), not a start time: readers do not record one.
 */
public final class SparkEmbedder implements EmbedEngine {
    static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("index", DataTypes.IntegerType, false),
            DataTypes.createStructField("subject", DataTypes.IntegerType, false),
            DataTypes.createStructField("label", DataTypes.IntegerType, false),
            DataTypes.createStructField("label_name", DataTypes.StringType, true),
            DataTypes.createStructField("z", DataTypes.createArrayType(DataTypes.FloatType, false), false)));

    @Override
    public String name() {
        return SparkEngine.NAME;
    }

    @Override
    public Map<String, Integer> embed(Path modelDir, ExperimentConfig config, ModelAssembler assembler, Path dataRoot, String out,
                                      Map<String, String> options) {
        ModelFiles files = ModelFiles.read(modelDir);
        try (SparkJobs.Session session = SparkJobs.open("crossl embed", options)) {
            JobSpec job = SparkJobs.job(config, assembler, dataRoot, 1);
            int tasks = Math.max(1, session.sc.defaultParallelism());
            Broadcast<ModelFiles> model = session.sc.broadcast(files);
            try {
                JavaRDD<Row> rows = session.tasks(tasks).flatMap(new EmbedSlice(job, model, tasks));
                session.spark.createDataFrame(rows, SCHEMA).write().mode(SaveMode.Overwrite).parquet(out);
                Map<String, Integer> counts = new LinkedHashMap<>();
                for (var r : session.spark.read().parquet(out).groupBy("split").count().collectAsList()) {
                    counts.put(r.getString(0), (int) r.getLong(1));
                }
                Map<String, Integer> ordered = new LinkedHashMap<>();
                for (String s : ParquetWindows.SPLITS) {
                    ordered.put(s, counts.getOrDefault(s, 0));
                }
                return ordered;
            } catch (RuntimeException e) {
                throw SparkErrors.unwrap(e, "embedding into " + out, null);
            } finally {
                model.destroy();
            }
        }
    }

    /** A model directory's files, as bytes: what is broadcast. */
    record ModelFiles(Map<String, byte[]> files, String key) implements Serializable {
        static ModelFiles read(Path dir) {
            Map<String, byte[]> f = new LinkedHashMap<>();
            try (var list = Files.list(dir)) {
                for (Path p : list.filter(Files::isRegularFile).sorted().toList()) {
                    f.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the model in " + dir + ": " + e.getMessage(), e);
            }
            if (!f.containsKey("model.json")) {
                throw new IllegalArgumentException(dir + " holds no model.json: give a pretrain --out directory or its model/ directory");
            }
            String key = org.crossl.core.Fingerprint.sha256(dir.toAbsolutePath().toString(), String.valueOf(java.util.Arrays.hashCode(f.get("model.json"))),
                    String.valueOf(f.values().stream().mapToLong(b -> b.length).sum()));
            return new ModelFiles(f, key);
        }
    }

    /** Models loaded on this executor, by their files' key. */
    private static final Map<String, CrosslModel> MODELS = new ConcurrentHashMap<>();

    static CrosslModel model(ModelFiles files, JobSpec job) {
        return MODELS.computeIfAbsent(files.key(), k -> {
            try {
                Path dir = Files.createTempDirectory("crossl-model");
                for (var e : files.files().entrySet()) {
                    Files.write(dir.resolve(e.getKey()), e.getValue());
                }
                CrosslModel m = ModelIO.load(dir, job.assembler());
                for (var e : files.files().keySet()) {
                    Files.deleteIfExists(dir.resolve(e));
                }
                Files.deleteIfExists(dir);
                return m;
            } catch (IOException e) {
                throw new UncheckedIOException("could not load the broadcast model: " + e.getMessage(), e);
            }
        });
    }

    static final class EmbedSlice implements FlatMapFunction<Integer, Row> {
        private final JobSpec job;
        private final Broadcast<ModelFiles> model;
        private final int tasks;

        EmbedSlice(JobSpec job, Broadcast<ModelFiles> model, int tasks) {
            this.job = job;
            this.model = model;
            this.tasks = tasks;
        }

        @Override
        public Iterator<Row> call(Integer t) {
            CrosslModel m = model(model.value(), job);
            var splits = ExecutorData.of(job).splits();
            List<Row> rows = new ArrayList<>();
            synchronized (m) {
                for (int k = 0; k < ParquetWindows.SPLITS.length; k++) {
                    WindowDataset d = ParquetWindows.split(splits, k);
                    int[] range = SparkJobs.slice(d.size(), t, tasks);
                    if (range[1] == range[0]) {
                        continue;
                    }
                    int[] idx = org.crossl.core.train.Shuffling.range(range[0], range[1]);
                    WindowDataset part = d.subset(idx);
                    INDArray z = m.embed(ModalityAlignment.toModel(m.modalities(), part), 256).castTo(DataType.FLOAT);
                    int[] labels = part.labels();
                    int[] subjects = part.subjects();
                    for (int i = 0; i < idx.length; i++) {
                        int label = labels[i];
                        rows.add(RowFactory.create(ParquetWindows.SPLITS[k], idx[i], subjects[i], label,
                                label == WindowBatch.UNLABELLED ? null : part.classNames().get(label), z.getRow(i).dup().data().asFloat()));
                    }
                }
            }
            return rows.iterator();
        }
    }
}
