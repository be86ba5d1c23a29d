package org.crossl.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.model.ModelAssembler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training that cannot fit stops before its first step with the estimate and what to lower; the memory log records a run. */
class MemoryCheckTest {
    @AfterEach
    void clear() {
        System.clearProperty("crossl.memoryLimitMb");
        System.clearProperty("crossl.memoryCheck");
    }

    @Test
    void aBatchThatCannotFitIsRefusedBeforeTrainingWithTheEstimate() {
        // batch 40: a step of several MB, well above how much the resident size moves between two readings
        // (at batch 8 a step needs about 1 MB, and the check could pass when a later test ran in a busy JVM)
        ExperimentConfig c = ExperimentConfig.parse(CheckpointResumeTest.CONFIG, "tiny.yaml", true).with("training.batchSize", "40");
        ModelAssembler.Assembled a = Crossl.assembler().assemble(c, CheckpointResumeTest.MODS, null);
        List<Integer> batches = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int n, double loss) {
                batches.add(batch);
            }
        };
        // room for what the process holds and a megabyte more: only a measured step can exceed it
        System.setProperty("crossl.memoryLimitMb", Long.toString(MemoryUse.now().rssMb() + 1));
        assertThatThrownBy(() -> new Pretrainer(a.model(), a.masker(), a.objective(), c.optimizer(), c.training(), c.seed(), l)
                .fit(CheckpointResumeTest.data(42, 1, false), CheckpointResumeTest.data(16, 2, false)))
                .isInstanceOf(MemoryLimitException.class)
                .hasMessageContaining("a training step at batch 40 needs about")
                .hasMessageContaining("MB of working memory (measured on a dry-run step")
                .hasMessageContaining("(crossl.memoryLimitMb / CROSSL_MEMORY_LIMIT_MB, or the container's limit)")
                .hasMessageMatching("(?s).*needs about [1-9][0-9]* MB of working memory.*")
                .hasMessageContaining("lower training.batchSize");
        assertThat(batches).isEmpty();
        assertThat(org.crossl.core.Workspaces.measure("test-measure", () -> org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                1000, 1000).addi(1))).isGreaterThanOrEqualTo(4_000_000L);
        // the dry run left no gradients behind
        a.model().namedParameters().values().forEach(p -> assertThat(p.grad().amaxNumber().doubleValue()).as(p.name()).isZero());
    }

    @Test
    void aDryRunDoesNotChangeWhatTrainingDraws() throws Exception {
        // the same seed with and without the dry run: it draws from its own streams and leaves no gradients
        PretrainResult checked = CheckpointResumeTest.train(null, 0).result();
        System.setProperty("crossl.memoryCheck", "false");
        PretrainResult unchecked = CheckpointResumeTest.train(null, 0).result();
        for (int e = 0; e < 4; e++) {
            assertThat(checked.history().get(e).trainLoss()).isEqualTo(unchecked.history().get(e).trainLoss());
            assertThat(checked.history().get(e).valLoss()).isEqualTo(unchecked.history().get(e).valLoss());
        }
    }

    @Test
    void theMemoryLogWritesEveryNSteps(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("memory.csv");
        try (MemoryLog log = new MemoryLog(file, 2)) {
            log.onStart(1, 5, 40, 0);
            for (int b = 1; b <= 5; b++) {
                log.onBatch(1, b, 5, 1.0);
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo(MemoryLog.HEADER);
        assertThat(lines.subList(1, lines.size())).extracting(l -> l.split(",")[0]).containsExactly("1", "2", "4");
        assertThat(Long.parseLong(lines.get(1).split(",")[3])).isPositive();
    }
}
