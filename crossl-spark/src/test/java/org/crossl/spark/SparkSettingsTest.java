package org.crossl.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.crossl.core.Crossl;
import org.crossl.core.PretrainEngine;
import org.crossl.core.config.ExperimentConfig;
import org.junit.jupiter.api.Test;

/** The Spark settings the engine sets (threads per task), and its config section's errors; no Spark context is started. */
class SparkSettingsTest {

    @Test
    void oneTaskPerExecutorWithAllItsCores() {
        assertThat(SparkEngine.localCores("local")).isEqualTo(1);
        assertThat(SparkEngine.localCores("local[3]")).isEqualTo(3);
        assertThat(SparkEngine.localCores("local[2,4]")).isEqualTo(2);
        assertThat(SparkEngine.localCores("local[*]")).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(SparkEngine.localCores("local-cluster[2,1,1024]")).isEqualTo(1);

        SparkConf local = SparkEngine.sparkConf("t", "local[2]");
        assertThat(local.get("spark.task.cpus")).isEqualTo("2");
        assertThat(local.get("spark.executorEnv.GOMP_SPINCOUNT")).isNotBlank();

        System.setProperty("spark.executor.cores", "4");
        try {
            SparkConf cluster = SparkEngine.sparkConf("t", "spark://host:7077");
            assertThat(cluster.get("spark.task.cpus")).isEqualTo("4");
            assertThat(cluster.get("spark.executorEnv.OMP_NUM_THREADS")).isEqualTo("4");
            System.setProperty("spark.task.cpus", "1"); // the user's own setting wins
            assertThat(SparkEngine.sparkConf("t", "spark://host:7077").get("spark.task.cpus")).isEqualTo("1");
        } finally {
            System.clearProperty("spark.executor.cores");
            System.clearProperty("spark.task.cpus");
        }
    }

    @Test
    void badSettingsNameTheirKeyBeforeSparkStarts() {
        ExperimentConfig c = ExperimentConfig.load(Path.of("../presets/basicmotions.yaml"));
        assertThatThrownBy(() -> new SparkEngine().open(c.with("spark.localSteps", "0"), Crossl.assembler(), Path.of("."), Map.of()))
                .hasMessageContaining("spark.localSteps").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new SparkEngine().open(c.with("spark.partitons", "2"), Crossl.assembler(), Path.of("."), Map.of()))
                .hasMessageContaining("partitons");
        assertThatThrownBy(() -> new SparkEngine().open(c, Crossl.assembler(), Path.of("."), Map.of("mastr", "local")))
                .hasMessageContaining("master only");
        assertThat(PretrainEngine.named("spark")).isInstanceOf(SparkEngine.class);
    }
}
