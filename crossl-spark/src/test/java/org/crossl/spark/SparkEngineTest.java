package org.crossl.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crossl.api.nn.Parameter;
import org.crossl.core.Crossl;
import org.crossl.core.PretrainEngine;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.data.DataRoot;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.model.ModelIO;
import org.crossl.core.run.PretrainRun;
import org.crossl.core.train.EpochMetrics;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark engine on real windows (UEA BasicMotions from ../shared/data) in embedded local mode:
 * one partition reproduces the local loop, several train, a failed task is retried to the same
 * result, and a killed driver resumes from its checkpoint.
 */
class SparkEngineTest {
    private static final Path DATA = Path.of(System.getProperty("crossl.data", "../../shared/data"));

    @TempDir
    Path tmp;

    @AfterEach
    void forgetExecutorState() {
        ExecutorData.clear();
        Tasks.Worker.clear();
        System.clearProperty("crossl.spark.failOnce");
        Tasks.INJECTED.set(false);
    }

    private static ExperimentConfig config(int epochs, String... sets) {
        ExperimentConfig c = ExperimentConfig.load(Path.of("../presets/basicmotions.yaml")).with("training.epochs", String.valueOf(epochs));
        for (int i = 0; i < sets.length; i += 2) {
            c = c.with(sets[i], sets[i + 1]);
        }
        return c;
    }

    private record Trained(PretrainResult result, float[] params) {
    }

    private static Trained train(String engine, Map<String, String> options, ExperimentConfig config) {
        ModelAssembler assembler = Crossl.assembler();
        try (PretrainEngine.Session s = PretrainEngine.named(engine).open(config, assembler, DATA, options)) {
            PretrainResult r = s.fit(new TrainingListener() {
            }, null);
            return new Trained(r, FlatState.flatten(s.assembled().model().namedParameters().values().stream().map(Parameter::value).toList()));
        }
    }

    private static void assertSameTrajectory(Trained a, Trained b) {
        assertThat(b.result().history()).hasSameSizeAs(a.result().history());
        for (int e = 0; e < a.result().history().size(); e++) {
            EpochMetrics x = a.result().history().get(e);
            EpochMetrics y = b.result().history().get(e);
            assertThat(y.trainLoss()).as("train loss of epoch %d", e + 1).isCloseTo(x.trainLoss(), within(1e-5 * Math.abs(x.trainLoss())));
            assertThat(y.valLoss()).as("validation loss of epoch %d", e + 1).isCloseTo(x.valLoss(), within(1e-5 * Math.abs(x.valLoss())));
        }
        assertThat(b.result().bestEpoch()).isEqualTo(a.result().bestEpoch());
        float[] p = a.params();
        float[] q = b.params();
        assertThat(q).hasSameSizeAs(p);
        double worst = 0;
        for (int i = 0; i < p.length; i++) {
            worst = Math.max(worst, Math.abs(p[i] - q[i]));
        }
        assertThat(worst).as("largest parameter difference").isLessThan(1e-5);
    }

    @Test
    void onePartitionOnLocalOneGivesTheLocalTrajectoryWhateverK() {
        ExperimentConfig c = config(3);
        Trained local = train("local", Map.of(), c);
        Trained k1 = train("spark", Map.of("master", "local[1]"), c.with("spark.localSteps", "1"));
        assertSameTrajectory(local, k1);
        Trained k3 = train("spark", Map.of("master", "local[1]"), c.with("spark.localSteps", "3"));
        assertSameTrajectory(local, k3);
    }

    @Test
    void twoPartitionsOnLocalTwoTrainAndTheLossFalls() {
        Trained t = train("spark", Map.of("master", "local[2]"), config(6, "spark.partitions", "2", "spark.localSteps", "2"));
        List<EpochMetrics> h = t.result().history();
        assertThat(h).hasSize(6);
        assertThat(h.get(h.size() - 1).trainLoss()).isLessThan(h.get(0).trainLoss());
        assertThat(h).allSatisfy(m -> assertThat(m.valLoss()).isFinite());
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheRunEndsWithTheSameParameters() {
        ExperimentConfig c = config(2, "spark.partitions", "2", "spark.localSteps", "1");
        Trained clean = train("spark", Map.of("master", "local[1,3]"), c);
        ExecutorData.clear();
        Tasks.Worker.clear();
        System.setProperty("crossl.spark.failOnce", "1:1"); // the second round's task on partition 1, after its steps
        Trained retried = train("spark", Map.of("master", "local[1,3]"), c);
        assertThat(Tasks.INJECTED).isTrue();
        assertSameTrajectory(clean, retried);
        assertThat(retried.params()).containsExactly(clean.params());
    }

    @Test
    void aKilledDriverResumesFromItsCheckpointAndEndsWhereAnUninterruptedRunEnds() throws Exception {
        ExperimentConfig c = config(4, "spark.partitions", "2", "spark.localSteps", "2", "training.checkpointEverySteps", "3");
        DataRoot root = new DataRoot(DATA.toAbsolutePath(), "test");
        Path whole = tmp.resolve("whole");
        new PretrainRun(Crossl.assembler(), 0, "spark", Map.of("master", "local[1]")).run(c, root, whole, false, List.of("test"), null, null);

        ExecutorData.clear();
        Tasks.Worker.clear();
        Path killed = tmp.resolve("killed");
        TrainingListener killer = new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics m) {
                if (m.epoch() == 2) {
                    throw new Killed();
                }
            }
        };
        try {
            new PretrainRun(Crossl.assembler(), 0, "spark", Map.of("master", "local[1]")).run(c, root, killed, false, List.of("test"), killer, null);
        } catch (Killed expected) {
            // the driver "dies" after epoch 2's checkpoint
        }
        assertThat(Json.JSON.readTree(killed.resolve("run.json").toFile()).path("engine").path("name").asText()).isEqualTo("spark");
        PretrainRun.Outcome resumed = new PretrainRun(Crossl.assembler(), 0, null, Map.of()).resume(killed, root, List.of("test"), null, null);
        assertThat(resumed.result().history()).hasSize(4);
        var a = ModelIO.load(whole.resolve("model"), Crossl.assembler()).namedParameters();
        var b = ModelIO.load(killed.resolve("model"), Crossl.assembler()).namedParameters();
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        List<String> differ = new ArrayList<>();
        a.forEach((k, p) -> {
            if (!p.value().equalsWithEps(b.get(k).value(), 1e-6)) {
                differ.add(k);
            }
        });
        assertThat(differ).as("parameters that differ after the resume").isEmpty();
        assertThat(withoutSeconds(killed.resolve("metrics.csv"))).isEqualTo(withoutSeconds(whole.resolve("metrics.csv")));
    }

    /** metrics.csv without its wall-time column. */
    private static List<String> withoutSeconds(Path csv) throws java.io.IOException {
        List<String> lines = Files.readAllLines(csv);
        int col = List.of(lines.get(0).split(",")).indexOf("seconds");
        return lines.stream().map(l -> {
            List<String> cells = new ArrayList<>(List.of(l.split(",")));
            cells.remove(col);
            return String.join(",", cells);
        }).toList();
    }

    private static final class Killed extends RuntimeException {
    }
}
