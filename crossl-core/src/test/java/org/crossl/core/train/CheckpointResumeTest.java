package org.crossl.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Parameter;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.model.ModelAssembler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A run interrupted at any step and resumed from its newest checkpoint ends exactly where an
 * uninterrupted one does; checkpoints are pruned, foreign ones refused, damaged ones skipped; a
 * diverging run stops with a diagnosis and keeps its good checkpoints.
 */
public class CheckpointResumeTest {
    public static final List<ModalitySpec> MODS = List.of(new ModalitySpec("acc", List.of("x", "y"), 10, "wrist"),
            new ModalitySpec("gyro", List.of("x"), 10, "ankle"));
    public static final String CONFIG = """
            name: tiny
            seed: 3
            data: {type: none}
            encoders: {default: {type: tcn, codeSize: 8, widths: [4, 8], kernels: [3, 3], dropout: 0.2}}
            masker: {type: spatial}
            aggregator: {type: mlp, hidden: [8], output: 6}
            objective: {type: vicreg, preset: paper}
            optimizer: {learningRate: 0.003}
            training: {batchSize: 8, epochs: 4, patience: 10, checkpointEverySteps: 3, keepCheckpoints: 2}
            """;

    public static WindowDataset data(int n, long seed, boolean poison) {
        Nd4j.getRandom().setSeed(seed);
        INDArray acc = Nd4j.randn(DataType.FLOAT, n, 16, 2);
        INDArray gyro = Nd4j.randn(DataType.FLOAT, n, 16, 1);
        if (poison) { // a NaN in the window that epoch 1 of seed 3 reaches last, after several checkpoints
            int last = Shuffling.permutation(n, org.crossl.core.Seeds.stream(3, "shuffle/epoch1"))[n - 1];
            acc.putScalar(new long[]{last, 3, 0}, Float.NaN);
        }
        return new WindowDataset(MODS, List.of(acc, gyro), Nd4j.ones(DataType.FLOAT, n, 2), new int[n], new int[n], List.of("c"));
    }

    record Trained(ModelAssembler.Assembled assembled, PretrainResult result) {
    }

    /** Trains on 42 windows (6 batches of 8, last one of 2 is kept), stopping with an exception after {@code killAfter} steps when > 0. */
    static Trained train(Path dir, int killAfter, String... sets) throws IOException {
        ExperimentConfig c = ExperimentConfig.parse(CONFIG, "tiny.yaml", true);
        for (String s : sets) {
            c = c.with(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        ModelAssembler.Assembled a = Crossl.assembler().assemble(c, MODS, null);
        int[] steps = {0};
        TrainingListener killer = new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, double loss) {
                if (killAfter > 0 && ++steps[0] == killAfter) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        Pretrainer p = new Pretrainer(a.model(), a.masker(), a.objective(), c.optimizer(), c.training(), c.seed(), killer);
        Checkpoints ck = dir == null ? null : new Checkpoints(dir, "key", c.training().checkpointEverySteps(), c.training().keepCheckpoints());
        return new Trained(a, p.fit(data(42, 1, false), data(16, 2, false), ck));
    }

    static List<INDArray> values(Trained t) {
        List<INDArray> out = new ArrayList<>();
        for (Parameter p : t.assembled().model().namedParameters().values()) {
            out.add(p.value().dup());
        }
        return out;
    }

    @Test
    void aRunKilledMidEpochAndResumedEndsExactlyWhereAnUninterruptedOneDoes(@TempDir Path tmp) throws IOException {
        Trained whole = train(tmp.resolve("whole"), 0);
        // 6 steps per epoch: step 10 is in epoch 2; the newest checkpoint is then step 9, mid-epoch
        assertThatThrownBy(() -> train(tmp.resolve("killed"), 10)).hasMessage("killed");
        assertThat(new Checkpoints(tmp.resolve("killed"), "key", 3, 2).list()).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoint-step00000006", "checkpoint-step00000009");
        List<String> resumedAt = new ArrayList<>();
        ExperimentConfig c = ExperimentConfig.parse(CONFIG, "tiny.yaml", true);
        ModelAssembler.Assembled a = Crossl.assembler().assemble(c, MODS, null);
        PretrainResult resumed = new Pretrainer(a.model(), a.masker(), a.objective(), c.optimizer(), c.training(), c.seed(),
                new TrainingListener() {
                    @Override
                    public void onResume(List<EpochMetrics> history, int epoch, int nextBatch, String checkpoint) {
                        resumedAt.add(epoch + "/" + nextBatch + "/" + history.size());
                    }
                }).fit(data(42, 1, false), data(16, 2, false), new Checkpoints(tmp.resolve("killed"), "key", 3, 2));
        assertThat(resumedAt).containsExactly("2/3/1"); // epoch 2, batch index 3, one epoch finished before
        List<INDArray> expected = values(whole);
        List<INDArray> actual = new ArrayList<>(a.model().namedParameters().values().stream().map(p -> p.value().dup()).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("parameter " + i).isEqualTo(expected.get(i));
        }
        assertThat(resumed.history()).hasSameSizeAs(whole.result().history());
        for (int e = 0; e < resumed.history().size(); e++) {
            assertThat(resumed.history().get(e).trainLoss()).isEqualTo(whole.result().history().get(e).trainLoss());
            assertThat(resumed.history().get(e).valLoss()).isEqualTo(whole.result().history().get(e).valLoss());
        }
        assertThat(resumed.bestEpoch()).isEqualTo(whole.result().bestEpoch());
        assertThat(tmp.resolve("killed").resolve(Checkpoints.BEST).resolve("state.json")).exists();
        // a finished run's last checkpoint only restores the best epoch
        ModelAssembler.Assembled again = Crossl.assembler().assemble(c, MODS, null);
        PretrainResult done = new Pretrainer(again.model(), again.masker(), again.objective(), c.optimizer(), c.training(), c.seed(), null)
                .fit(data(42, 1, false), data(16, 2, false), new Checkpoints(tmp.resolve("killed"), "key", 3, 2));
        assertThat(done.history()).hasSize(4);
        assertThat(again.model().namedParameters().values().iterator().next().value()).isEqualTo(expected.get(0));
    }

    @Test
    void checkpointsArePrunedForeignOnesRefusedAndADamagedNewestIsSkipped(@TempDir Path tmp) throws IOException {
        train(tmp, 0, "training.epochs=2");
        Checkpoints ck = new Checkpoints(tmp, "key", 3, 2);
        assertThat(ck.list()).hasSize(2); // steps 9 and 12 of 12
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        ExperimentConfig c = ExperimentConfig.parse(CONFIG, "tiny.yaml", true);
        ModelAssembler.Assembled a = Crossl.assembler().assemble(c, MODS, null);
        var named = a.model().namedParameters();
        List<Parameter> params = new ArrayList<>(named.values());
        Adam adam = new Adam(c.optimizer(), params);
        List<INDArray> best = ParameterSnapshot.take(params);
        assertThatThrownBy(() -> new Checkpoints(tmp, "other", 3, 2).restoreLatest(named, adam, best, m -> { }))
                .isInstanceOf(Checkpoints.ForeignCheckpointException.class).hasMessageContaining("another config");
        Path newest = ck.list().get(1);
        byte[] bytes = Files.readAllBytes(newest.resolve("optimizer.bin"));
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(newest.resolve("optimizer.bin"), bytes);
        List<String> warnings = new ArrayList<>();
        var loaded = ck.restoreLatest(named, adam, best, warnings::add);
        assertThat(loaded).isPresent();
        assertThat(loaded.get().from()).isEqualTo(ck.list().get(0));
        assertThat(warnings).singleElement().asString().contains("checkpoint-step00000012", "damaged");
        Files.delete(ck.list().get(0).resolve("parameters.bin"));
        assertThatThrownBy(() -> ck.restoreLatest(named, adam, best, m -> { })).hasMessageContaining("no checkpoint");
    }

    @Test
    void aCollapsedRepresentationIsWarnedAbout() throws IOException {
        // constant inputs give every window the same Z: the std of Z is 0
        WindowDataset zeros = new WindowDataset(MODS, List.of(Nd4j.zeros(DataType.FLOAT, 24, 16, 2), Nd4j.zeros(DataType.FLOAT, 24, 16, 1)),
                Nd4j.ones(DataType.FLOAT, 24, 2), new int[24], new int[24], List.of("c"));
        ExperimentConfig c = ExperimentConfig.parse(CONFIG, "tiny.yaml", true).with("training.epochs", "1");
        ModelAssembler.Assembled a = Crossl.assembler().assemble(c, MODS, null);
        List<String> messages = new ArrayList<>();
        new Pretrainer(a.model(), a.masker(), a.objective(), c.optimizer(), c.training(), c.seed(), new TrainingListener() {
            @Override
            public void onMessage(String message) {
                messages.add(message);
            }
        }).fit(zeros, zeros, null);
        assertThat(messages).singleElement().asString().startsWith("warning: the representation is collapsing at epoch 1")
                .contains("std of Z is 0.0000");
    }

    @Test
    void aNonFiniteLossNamesItsTermsAndTheStep() {
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("invariance", 1.5);
        terms.put("variance", Double.NaN);
        terms.put("covariance", Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> Pretrainer.checkLoss(new org.crossl.core.model.CrosslModel.StepResult(Double.NaN, terms), 3, 7, 19, "runs/x/checkpoint-step00000018"))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("the loss became NaN at epoch 3, batch 7 (step 19): term 'variance' is NaN, 'covariance' is Infinity; "
                        + "lower optimizer.learningRate or check the data for extreme values; the last good checkpoint is kept: runs/x/checkpoint-step00000018");
    }

    @Test
    void aNonFiniteWeightIsNamed() {
        Parameter ok = new Parameter("w", Nd4j.ones(DataType.FLOAT, 2, 2), true);
        INDArray bad = Nd4j.ones(DataType.FLOAT, 3);
        bad.putScalar(1, Float.NaN);
        Parameter broken = new Parameter("b", bad, false);
        Pretrainer.checkWeights(List.of(ok), List.of("encoders.acc.conv0.weight"), 1, 1, 1, null);
        assertThatThrownBy(() -> Pretrainer.checkWeights(List.of(ok, broken), List.of("encoders.acc.conv0.weight", "aggregator.dense0.bias"),
                2, 5, 11, "runs/x/checkpoint-step00000009"))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("parameter 'aggregator.dense0.bias' became NaN in the update of epoch 2, batch 5 (step 11): its gradient overflowed; "
                        + "lower optimizer.learningRate; the last good checkpoint is kept: runs/x/checkpoint-step00000009");
    }

    @Test
    void aDivergingRunNamesTheTermAndStepAndKeepsItsGoodCheckpoints(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = ExperimentConfig.parse(CONFIG, "tiny.yaml", true).with("training.checkpointEverySteps", "1");
        ModelAssembler.Assembled a = Crossl.assembler().assemble(c, MODS, null);
        Checkpoints ck = new Checkpoints(tmp, "key", 1, 2);
        Pretrainer p = new Pretrainer(a.model(), a.masker(), a.objective(), c.optimizer(), c.training(), c.seed(), null);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> p.fit(data(42, 1, true), data(16, 2, false), ck));
        assertThat(t).isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("the embeddings became NaN or infinite at epoch 1")
                .hasMessageContaining("the input windows of modality 'acc' hold NaN");
        List<Path> kept = ck.list();
        assertThat(kept).isNotEmpty();
        assertThat(t).hasMessageContaining("the last good checkpoint is kept: " + kept.get(kept.size() - 1));
        ModelAssembler.Assembled b = Crossl.assembler().assemble(c, MODS, null);
        List<Parameter> bp = new ArrayList<>(b.model().namedParameters().values());
        assertThat(ck.restoreLatest(b.model().namedParameters(), new Adam(c.optimizer(), bp), ParameterSnapshot.take(bp), m -> { })).isPresent();
        assertThat(bp).allMatch(q -> Double.isFinite(q.value().sumNumber().doubleValue()));
    }
}
