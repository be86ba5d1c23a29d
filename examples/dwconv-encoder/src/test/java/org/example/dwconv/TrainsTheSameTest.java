package org.example.dwconv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crossl.api.data.DataSplits;
import org.crossl.core.CrosslTrainer;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.train.EpochMetrics;
import org.junit.jupiter.api.Test;

/**
 * Pretraining on real data (BasicMotions) with the hand-written and the SameDiff-derived backward,
 * from one seed: the losses follow each other. This runs the SameDiff layer inside the training
 * loop's ND4J workspaces, where a graph that kept arrays between steps would read freed memory.
 */
class TrainsTheSameTest {
    @Test
    void manualAndAutodiffPretrainAlike() {
        Path data = Path.of(System.getProperty("crossl.data", "../../../shared/data"));
        assumeTrue(Files.isDirectory(data.resolve("uea/BasicMotions")), "BasicMotions data not available");
        List<Double> manual = losses(data, "manual");
        List<Double> autodiff = losses(data, "autodiff");
        assertThat(manual).hasSize(3).allSatisfy(l -> assertThat(l).isFinite());
        for (int e = 0; e < manual.size(); e++) {
            // float32, and the two compute the depthwise sums in different orders: close, not equal
            assertThat(Math.abs(autodiff.get(e) - manual.get(e)) / Math.abs(manual.get(e))).as("epoch %d", e + 1).isLessThan(1e-3);
        }
    }

    private static List<Double> losses(Path data, String backward) {
        ExperimentConfig c = ExperimentConfig.load(Path.of("../../presets/basicmotions.yaml"))
                .with("encoders.default", "{type: dwconv, widths: [16, 24], kernel: 5, backward: " + backward + "}")
                .with("training.epochs", "3");
        DataSplits splits = CrosslTrainer.loadData(c, data);
        return CrosslTrainer.fit(c, splits).result().history().stream().map(EpochMetrics::trainLoss).toList();
    }
}
