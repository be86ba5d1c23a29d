package org.crossl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.data.DataRoot;
import org.crossl.eval.EvaluateRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crossl evaluate} killed in the middle of a pretraining continues from that pretraining's
 * newest checkpoint in the progress folder, and ends with the records an uninterrupted run gives.
 */
class EvaluateResumeTest {

    private static final class Killed extends RuntimeException {
    }

    @Test
    void aPretrainingKilledMidwayContinuesFromItsCheckpoint(@TempDir Path tmp) throws Exception {
        ExperimentConfig c = ExperimentConfig.load(Path.of("../presets/basicmotions.yaml")).with("training.epochs", "4")
                .with("training.checkpointEverySteps", "3")
                .with("evaluation", "{arms: [crossl-probe, supervised], seeds: [0], labelFractions: [1.0], headEpochs: 2}");
        DataRoot root = new DataRoot(CliEndToEndTest.dataRoot().toAbsolutePath(), "test");

        Path whole = tmp.resolve("whole");
        new EvaluateRun(Crossl.assembler()).run(c, root, whole, false, line -> { });

        Path killed = tmp.resolve("killed");
        assertThatThrownBy(() -> new EvaluateRun(Crossl.assembler()).run(c, root, killed, false, line -> {
            if (line.contains("crossl epoch 3")) {
                throw new Killed(); // after epoch 3's metrics, before its checkpoint
            }
        })).isInstanceOf(Killed.class);
        try (var s = Files.list(killed.resolve("progress").resolve("training"))) {
            assertThat(s.count()).as("the unfinished pretraining's checkpoint folder").isEqualTo(1);
        }
        List<String> log = new ArrayList<>();
        new EvaluateRun(Crossl.assembler()).run(c, root, killed, false, log::add);
        assertThat(log).anyMatch(l -> l.contains("continuing from"));
        try (var s = Files.list(killed.resolve("progress").resolve("training"))) {
            assertThat(s.count()).as("checkpoints are deleted once the model is saved").isZero();
        }
        var a = Json.JSON.readTree(whole.resolve(EvaluateRun.RESULTS_JSON).toFile()).path("records");
        var b = Json.JSON.readTree(killed.resolve(EvaluateRun.RESULTS_JSON).toFile()).path("records");
        assertThat(b).isEqualTo(a);
    }

    /** One probe arm called {@code name} (plus {@code headKeys}) on a pretraining the preset does not make: masking ratio 0.4. */
    private static ExperimentConfig withRatioArm(ExperimentConfig base, String name, String headKeys) {
        return base.with("evaluation", "{arms: [{name: " + name + ", pretrain: {masker.ratio: 0.4}, head: probe" + headKeys + "}], seeds: [0],"
                + " labelFractions: [1.0], headEpochs: 1}");
    }

    @Test
    void aPretrainingIsFoundByItsKeyWhateverArmNamedItFirst(@TempDir Path tmp) throws Exception {
        ExperimentConfig base = ExperimentConfig.load(Path.of("../presets/basicmotions.yaml")).with("training.epochs", "1");
        DataRoot root = new DataRoot(CliEndToEndTest.dataRoot().toAbsolutePath(), "test");
        Path out = tmp.resolve("out");
        ExperimentConfig first = withRatioArm(base, "ratio-a", "");
        new EvaluateRun(Crossl.assembler()).run(first, root, out, false, line -> { });
        // a later run names the same pretraining differently (another arm comes first): it is reused, not redone
        ExperimentConfig second = withRatioArm(base, "ratio-b", ", features: both");
        List<String> log = new ArrayList<>();
        new EvaluateRun(Crossl.assembler()).run(second, root, out, true, log::add);
        assertThat(log).anyMatch(l -> l.contains("pretraining ratio-b reused"));
        assertThat(log).noneMatch(l -> l.contains("ratio-b epoch"));
    }

    @Test
    void anUnfinishedPretrainingContinuesUnderAnotherArmsName(@TempDir Path tmp) throws Exception {
        ExperimentConfig base = ExperimentConfig.load(Path.of("../presets/basicmotions.yaml")).with("training.epochs", "3")
                .with("training.checkpointEverySteps", "3");
        DataRoot root = new DataRoot(CliEndToEndTest.dataRoot().toAbsolutePath(), "test");
        Path out = tmp.resolve("out");
        ExperimentConfig first = withRatioArm(base, "ratio-a", "");
        assertThatThrownBy(() -> new EvaluateRun(Crossl.assembler()).run(first, root, out, false, line -> {
            if (line.contains("ratio-a epoch 2")) {
                throw new Killed();
            }
        })).isInstanceOf(Killed.class);
        ExperimentConfig second = withRatioArm(base, "ratio-b", "");
        List<String> log = new ArrayList<>();
        new EvaluateRun(Crossl.assembler()).run(second, root, out, false, log::add);
        assertThat(log).anyMatch(l -> l.contains("continuing from"));
        assertThat(log).noneMatch(l -> l.contains("ratio-b epoch 1:"));
    }
}
