package org.crossl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The whole CroSSL step (encoders → masks → pooling → aggregator → VICReg) and model files. */
class CrosslModelTest {
    private static final List<ModalitySpec> MODS = List.of(
            new ModalitySpec("acc", List.of("x", "y", "z"), 10, "watch"),
            new ModalitySpec("gyro", List.of("x", "y"), 10, "watch"),
            new ModalitySpec("emg", List.of("v"), 20, "thigh"));

    private static String config(String masker) {
        return """
                name: tiny
                seed: 3
                data: {type: none}
                encoders: {default: {type: tcn, codeSize: 4, widths: [3, 4], kernels: [3, 2], dropout: 0.2, preluInit: 0.2}}
                masker: %s
                aggregator: {type: mlp, hidden: [5], output: 3}
                objective: {type: vicreg}
                """.formatted(masker);
    }

    private final ModelAssembler assembler = Crossl.assembler();

    /** Whole-model gradient checks build the model in float64; ND4J's global default stays float32. */
    private final ModelAssembler assembler64 = assembler.withDataType(DataType.DOUBLE);

    private static WindowBatch batch(DataType type, int b, boolean withAbsent) {
        Nd4j.getRandom().setSeed(17);
        List<INDArray> inputs = List.of(Nd4j.randn(type, b, 6, 3), Nd4j.randn(type, b, 6, 2), Nd4j.randn(type, b, 12, 1));
        INDArray presence = Nd4j.ones(type, b, 3);
        if (withAbsent) {
            presence.putScalar(0, 1, 0);
            presence.putScalar(1, 2, 0);
        }
        return new WindowBatch(MODS, inputs, presence, null);
    }

    @Test
    void fullStepGradientsMatchFiniteDifferencesForEveryMasker() {
        // the last case adds the projector between Z and the objective (Dense → LayerNorm → ReLU → Dense)
        for (String masker : List.of("{type: spatial, ratio: 0.4}\nprojector: {layers: []}", "{type: random, ratio: 0.3}\nprojector: {layers: []}",
                "{type: temporal, ratio: 0.3, segments: 3}\nprojector: {layers: []}", "{type: spatial, ratio: 0.4}\nprojector: {layers: [6, 4]}",
                "{type: random, ratio: 0.3}\nprojector: {layers: [6, 4]}")) {
            ModelAssembler.Assembled a = assembler64.assemble(ExperimentConfig.parse(config(masker), "tiny.yaml", true), MODS, null);
            if (masker.contains("[6, 4]")) {
                assertThat(a.model().namedParameters()).containsKeys("projector.dense0.weight", "projector.norm0.gain", "projector.dense1.bias");
            }
            CrosslModel model = a.model();
            WindowBatch batch = batch(DataType.DOUBLE, 5, true);
            List<Parameter> params = new ArrayList<>(model.namedParameters().values());
            // a generic point: zero-initialised biases can put a fully masked sample's Z exactly on
            // the projector's ReLU kinks, where the loss has no derivative to check
            Nd4j.getRandom().setSeed(11);
            params.forEach(p -> p.value().addi(Nd4j.randn(DataType.DOUBLE, p.value().shape()).muli(0.05)));
            params.forEach(p -> p.grad().assign(0));
            // Fixed seeds for dropout and masks: the loss is a deterministic function of the parameters.
            java.util.function.DoubleSupplier loss = () -> model.sslStep(batch, a.masker(), a.objective(),
                    Pass.training(new SplittableRandom(1)), new SplittableRandom(2), false).loss();
            model.sslStep(batch, a.masker(), a.objective(), Pass.training(new SplittableRandom(1)), new SplittableRandom(2), true);
            assertGradientsMatch(params, loss, 4, masker);
        }
    }

    /**
     * Central differences (step 1e-6) on two sampled elements of every parameter against the
     * accumulated gradients: the worst relative error must stay below 1e-4.
     */
    private static void assertGradientsMatch(List<Parameter> params, java.util.function.DoubleSupplier loss, long seed, String what) {
        List<org.crossl.nn.check.GradientCheck.Target> targets = params.stream()
                .map(p -> new org.crossl.nn.check.GradientCheck.Target(p.name(), p.value(), p.grad().dup())).toList();
        var r = org.crossl.nn.check.GradientCheck.checkScalar(loss, targets, 1e-6, 1e-3, 2, seed);
        assertThat(r.maxRelativeError()).as(what + " " + r.worst()).isLessThan(1e-4);
    }

    /**
     * Heads' features with every kind ({@code GLOBAL}, {@code MODALITIES}, {@code BOTH}): the
     * backward of a fixed linear function of the features matches central differences on every
     * parameter that feeds them.
     */
    @Test
    void featureGradientsMatchFiniteDifferencesForEveryKind() {
        for (CrosslModel.Features kind : CrosslModel.Features.values()) {
            ModelAssembler.Assembled a = assembler64.assemble(ExperimentConfig.parse(config("{type: spatial}"), "tiny.yaml", true), MODS, null);
            CrosslModel model = a.model();
            WindowBatch batch = batch(DataType.DOUBLE, 4, true);
            Nd4j.getRandom().setSeed(5);
            INDArray w = Nd4j.randn(DataType.DOUBLE, 4, model.featureSize(kind));
            List<Parameter> params = new ArrayList<>(model.namedParameters().values());
            params.forEach(p -> p.grad().assign(0));
            java.util.function.DoubleSupplier loss = () -> model.features(batch, kind, Pass.inference()).output().mul(w).sumNumber().doubleValue();
            var f = model.features(batch, kind, Pass.inference());
            assertThat(f.output().shape()).containsExactly(4, model.featureSize(kind));
            f.backward(w);
            assertGradientsMatch(params, loss, 8, kind.toString());
            if (kind == CrosslModel.Features.MODALITIES) {
                assertThat(model.namedParameters().entrySet().stream().filter(e -> e.getKey().startsWith("aggregator."))
                        .allMatch(e -> e.getValue().grad().amaxNumber().doubleValue() == 0)).as("Z's aggregator gets no gradient from modality features").isTrue();
            }
        }
    }

    /**
     * The float32 fast path (fused LayerNorm/PReLU/dropout kernel, Java pooling, shared pooling of
     * the two views) against the straightforward float64 composition of ND4J ops, on identical
     * weights, inputs and masks: loss, embeddings and every parameter's gradient agree to 1e-4.
     */
    @Test
    void float32FastPathMatchesTheFloat64Reference() {
        for (String masker : List.of("{type: spatial, ratio: 0.4}", "{type: temporal, ratio: 0.3, segments: 3}", "{type: random, ratio: 0.3}")) {
            String cfg = config(masker).replace("dropout: 0.2", "dropout: 0.0");
            ModelAssembler.Assembled ref = assembler64.assemble(ExperimentConfig.parse(cfg, "tiny.yaml", true), MODS, null);
            ModelAssembler.Assembled fast = assembler.assemble(ExperimentConfig.parse(cfg, "tiny.yaml", true), MODS, null);
            Map<String, Parameter> p64 = ref.model().namedParameters();
            Map<String, Parameter> p32 = fast.model().namedParameters();
            p64.forEach((name, p) -> p32.get(name).value().assign(p.value().castTo(DataType.FLOAT)));
            // a full batch, then the last, smaller batch of an epoch: the convolutions' second batch shape
            for (int size : new int[] {7, 3}) {
                String what = masker + " batch " + size;
                p64.forEach((name, p) -> {
                    p.grad().assign(0);
                    p32.get(name).grad().assign(0);
                });
                WindowBatch b64 = batch(DataType.DOUBLE, size, true);
                WindowBatch b32 = new WindowBatch(MODS, b64.inputs().stream().map(x -> x.castTo(DataType.FLOAT)).toList(),
                        b64.presence().castTo(DataType.FLOAT), null);
                double l64 = ref.model().sslStep(b64, ref.masker(), ref.objective(), Pass.training(new SplittableRandom(1)), new SplittableRandom(2), true).loss();
                double l32 = fast.model().sslStep(b32, fast.masker(), fast.objective(), Pass.training(new SplittableRandom(1)), new SplittableRandom(2), true).loss();
                assertThat(Math.abs(l32 - l64) / Math.abs(l64)).as(what + " loss").isLessThan(1e-4);
                assertThat(relErr(fast.model().embed(b32), ref.model().embed(b64))).as(what + " embeddings").isLessThan(1e-4);
                double largest = p64.values().stream().mapToDouble(p -> p.grad().norm2Number().doubleValue()).max().orElse(1);
                for (String name : p64.keySet()) {
                    // relative error 1e-4, plus float32 rounding (1e-5 of the largest gradient) for gradients that are
                    // exactly zero in float64 (the last LayerNorm's bias: VICReg is blind to a shift of Z)
                    INDArray g32 = p32.get(name).grad().castTo(DataType.DOUBLE);
                    INDArray g64 = p64.get(name).grad();
                    double diff = g32.sub(g64).norm2Number().doubleValue();
                    assertThat(diff).as(what + " gradient of " + name + " (norm " + g64.norm2Number() + ")")
                            .isLessThanOrEqualTo(1e-4 * g64.norm2Number().doubleValue() + 1e-5 * largest);
                }
            }
        }
        // the float32 model above ran its convolutions on oneDNN 3, the float64 one on libnd4j
        assertThat(org.crossl.nn.Conv1d.backend()).startsWith("oneDNN 3.");
    }

    private static double relErr(INDArray a, INDArray b) {
        INDArray x = a.castTo(DataType.DOUBLE);
        INDArray y = b.castTo(DataType.DOUBLE);
        return x.sub(y).norm2Number().doubleValue() / Math.max(1e-12, y.norm2Number().doubleValue());
    }

    @Test
    void absentModalitiesDoNotChangeTheEmbedding() {
        CrosslModel model = assembler.assemble(ExperimentConfig.parse(config("{type: spatial}"), "tiny.yaml", true), MODS, null).model();
        WindowBatch b = batch(DataType.FLOAT, 4, true);
        INDArray z = model.embed(b);
        // Garbage in an absent modality's input must not leak into Z.
        List<INDArray> noisy = new ArrayList<>(b.inputs());
        INDArray gyro = noisy.get(1).dup();
        gyro.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(1000);
        noisy.set(1, gyro);
        INDArray z2 = model.embed(new WindowBatch(MODS, noisy, b.presence(), null));
        assertThat(z2.getRow(0).equalsWithEps(z.getRow(0), 1e-5)).isTrue();
    }

    @Test
    void savedModelLoadsAndEmbedsIdentically(@TempDir Path dir) throws IOException {
        CrosslModel model = assembler.assemble(ExperimentConfig.parse(config("{type: spatial}"), "tiny.yaml", true), MODS, null).model();
        WindowBatch b = batch(DataType.FLOAT, 6, false);
        WindowDataset data = new WindowDataset(MODS, b.inputs(), b.presence(), null, null, List.of());
        model.setNormalizer(Normalizer.fit(data));
        // Move the weights away from their seeded initial values so loading must really restore them.
        for (Parameter p : model.namedParameters().values()) {
            p.value().addi(0.01);
        }
        INDArray z = model.embed(data, 4);
        ModelIO.save(model, dir);
        CrosslModel loaded = ModelIO.load(dir, assembler);
        assertThat(loaded.embed(data, 4)).isEqualTo(z);
        Map<String, Parameter> lp = loaded.namedParameters();
        model.namedParameters().forEach((k, p) -> assertThat(lp.get(k).value()).isEqualTo(p.value()));

        byte[] bytes = Files.readAllBytes(dir.resolve(ModelIO.PARAMETERS_FILE));
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(dir.resolve(ModelIO.PARAMETERS_FILE), bytes);
        assertThatThrownBy(() -> ModelIO.load(dir, assembler)).hasMessageContaining("is damaged");
        Files.write(dir.resolve(ModelIO.PARAMETERS_FILE), java.util.Arrays.copyOf(bytes, bytes.length - 8));
        assertThatThrownBy(() -> ModelIO.load(dir, assembler)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ModelIO.load(dir.resolve("nothing"), assembler)).hasMessageContaining("no saved model");
    }
}
