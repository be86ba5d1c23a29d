package org.crossl.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.crossl.core.model.ModelAssembler;

/** What the Spark SQL jobs (Parquet export, embedding) share: their session, the job spec, slices of a split. */
final class SparkJobs {
    private SparkJobs() {
    }

    /** A Spark session (core and SQL) for every job of the engine, stopped on close only when this job started it. */
    static final class Session implements AutoCloseable {
        final SparkSession spark;
        final JavaSparkContext sc;
        private final boolean created;

        private Session(SparkSession spark, boolean created) {
            this.spark = spark;
            this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            this.created = created;
        }

        /** Task ids 0 … n−1, one per partition. */
        org.apache.spark.api.java.JavaRDD<Integer> tasks(int n) {
            List<Integer> ids = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                ids.add(t);
            }
            return sc.parallelize(ids, n);
        }

        @Override
        public void close() {
            if (created) {
                spark.stop();
            }
        }
    }

    static Session open(String appName, java.util.Map<String, String> options) {
        for (String k : options.keySet()) {
            if (!k.equals("master")) {
                throw new IllegalArgumentException("the spark engine takes the option master only, got " + k);
            }
        }
        boolean created = org.apache.spark.SparkContext$.MODULE$.getActive().isEmpty(); // a caller's context is not ours to stop
        return new Session(SparkSession.builder().config(SparkEngine.sparkConf(appName, options.get("master"))).getOrCreate(), created);
    }

    /** The job's spec: the config, the data root and the assembler's cache folder, with the training split cut into {@code partitions}. */
    static JobSpec job(org.crossl.core.config.ExperimentConfig config, ModelAssembler assembler, java.nio.file.Path dataRoot, int partitions) {
        String cacheDir = assembler.cache() == null || assembler.cache().dir() == null ? null : assembler.cache().dir().toString();
        return new JobSpec(config.toJson(), config.source(), dataRoot.toAbsolutePath().toString(), cacheDir, partitions);
    }

    /** The windows {@code [from, to)} of a split of {@code n} that task {@code t} of {@code tasks} handles. */
    static int[] slice(int n, int t, int tasks) {
        return new int[] {(int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks)};
    }
}
