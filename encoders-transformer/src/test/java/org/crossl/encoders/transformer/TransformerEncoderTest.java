package org.crossl.encoders.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.api.spi.ConfigException;
import org.crossl.api.spi.EncoderProvider;
import org.crossl.nn.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TransformerEncoderTest {
    private static final ModalitySpec ACC = new ModalitySpec("acc", List.of("x", "y", "z"), 50, "wrist");
    private static final DataType F64 = DataType.DOUBLE;

    /** width 8, depth 2, heads 2, patch 2, MLP ×2, D 6, dropout 0.2. */
    private static TransformerConfig tiny() {
        return new TransformerConfig(6, 8, 2, 2, 2, 2, 0.2, 1e-5);
    }

    /** The parameter count by hand: stem, blocks (2 LNs, 4 projections, MLP), final LN, head. */
    private static long expectedParameters(int channels, TransformerConfig c) {
        long w = c.width();
        long r = c.mlpRatio();
        long stem = (long) c.patchLength() * channels * w + w;
        long block = 2 * 2 * w + (4 * w * w + 3 * w) + (w * r * w + r * w) + (r * w * w + w); // no key bias
        return stem + c.depth() * block + 2 * w + (w * c.codeSize() + c.codeSize());
    }

    @Test
    void shapesForSeveralBatchSizesAndLengths() {
        TransformerEncoder e = new TransformerEncoder(ACC, TransformerConfig.defaults(), DataType.FLOAT, new SplittableRandom(0));
        assertThat(e.codeSize()).isEqualTo(96);
        int[][] cases = {{1, 8}, {2, 64}, {3, 67}, {4, 128}, {5, 15}, {2, 512}};
        for (int[] bt : cases) {
            INDArray x = Nd4j.randn(DataType.FLOAT, bt[0], bt[1], 3);
            INDArray latent = e.encode(x, Pass.inference()).output();
            int tokens = bt[1] / 8;
            assertThat(e.latentLength(bt[1])).isEqualTo(tokens);
            assertThat(latent.shape()).as("B=%d T=%d", bt[0], bt[1]).containsExactly(bt[0], tokens, 96);
            assertThat(e.pool(latent, null, Pass.inference()).output().shape()).containsExactly(bt[0], 96);
            assertThat(latent.isNaN().any() || latent.isInfinite().any()).isFalse();
        }
    }

    @Test
    void trailingSamplesAreDroppedAndGetZeroGradient() {
        TransformerEncoder e = new TransformerEncoder(ACC, tiny(), F64, new SplittableRandom(2));
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(F64, 2, 9, 3);
        INDArray cut = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 8), NDArrayIndex.all()).dup();
        var full = e.encode(x, Pass.inference());
        assertThat(full.output()).isEqualTo(e.encode(cut, Pass.inference()).output());
        INDArray gx = full.backward(Nd4j.ones(F64, 2, 4, 6));
        assertThat(gx.shape()).containsExactly(2, 9, 3);
        assertThat(gx.get(NDArrayIndex.all(), NDArrayIndex.point(8), NDArrayIndex.all()).sumNumber().doubleValue()).isZero();
    }

    @Test
    void parameterCountMatchesTheFormulaAndNamesAreUnique() {
        TransformerEncoder d = new TransformerEncoder(ACC, TransformerConfig.defaults(), DataType.FLOAT, new SplittableRandom(0));
        assertThat(d.parameterCount()).isEqualTo(expectedParameters(3, TransformerConfig.defaults())).isEqualTo(74_784);
        TransformerConfig other = new TransformerConfig(32, 48, 3, 6, 5, 3, 0.0, null);
        ModalitySpec ecg = new ModalitySpec("ecg", List.of("ecg"), 700, null);
        TransformerEncoder o = new TransformerEncoder(ecg, other, DataType.FLOAT, new SplittableRandom(0));
        assertThat(o.parameterCount()).isEqualTo(expectedParameters(1, other));
        List<String> names = d.parameters().stream().map(Parameter::name).toList();
        assertThat(new HashSet<>(names)).hasSameSizeAs(names);
        assertThat(names).contains("stem.weight", "block0.norm1.gain", "block0.attention.query.weight", "block0.attention.output.bias",
                "block1.mlp.fc1.weight", "block1.mlp.fc2.bias", "norm.gain", "head.weight", "head.bias");
        assertThat(d.parameters()).noneMatch(Parameter::decay);
        assertThat(names).noneMatch(name -> name.contains("key.bias")); // redundant under softmax, so absent
    }

    @Test
    void gradientsMatchFiniteDifferencesInFloat64WithDropout() {
        TransformerEncoder e = new TransformerEncoder(ACC, tiny(), F64, new SplittableRandom(3));
        // non-trivial norms, so their gains and biases matter
        for (Parameter p : e.parameters()) {
            if (p.name().endsWith(".gain") || p.name().contains("norm") && p.name().endsWith(".bias")) {
                p.value().addi(Nd4j.randn(F64, p.value().shape()).muli(0.3));
            }
        }
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(F64, 2, 9, 3);
        // A training pass rebuilt from the same seed draws the same dropout masks every call.
        GradientCheck.Result r = GradientCheck.check(in -> e.encode(in, Pass.training(new SplittableRandom(11))), x,
                e.parameters(), true, 20, 5);
        assertThat(r.checked()).isGreaterThan(300);
        assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
        // dropout really was on: the training pass differs from inference
        assertThat(e.encode(x, Pass.training(new SplittableRandom(11))).output()).isNotEqualTo(e.encode(x, Pass.inference()).output());
    }

    @Test
    void float32KernelsMatchTheFloat64Path() {
        TransformerConfig cfg = new TransformerConfig(12, 16, 2, 4, 3, 2, 0.2, 1e-5);
        TransformerEncoder f32 = new TransformerEncoder(ACC, cfg, DataType.FLOAT, new SplittableRandom(21));
        TransformerEncoder f64 = new TransformerEncoder(ACC, cfg, F64, new SplittableRandom(21));
        for (int i = 0; i < f32.parameters().size(); i++) {
            INDArray noise = Nd4j.randn(F64, f64.parameters().get(i).value().shape()).muli(0.1);
            f64.parameters().get(i).value().addi(noise);
            f32.parameters().get(i).value().assign(f64.parameters().get(i).value().castTo(DataType.FLOAT));
        }
        Nd4j.getRandom().setSeed(22);
        INDArray x = Nd4j.randn(F64, 3, 31, 3);
        INDArray g = Nd4j.randn(F64, 3, 10, 12);
        var a = f32.encode(x.castTo(DataType.FLOAT), Pass.training(new SplittableRandom(23)));
        var b = f64.encode(x, Pass.training(new SplittableRandom(23)));
        assertThat(relative(a.output(), b.output())).isLessThan(1e-5);
        INDArray gxa = a.backward(g.castTo(DataType.FLOAT));
        INDArray gxb = b.backward(g);
        assertThat(relative(gxa, gxb)).isLessThan(1e-4);
        for (int i = 0; i < f32.parameters().size(); i++) {
            assertThat(relative(f32.parameters().get(i).grad(), f64.parameters().get(i).grad()))
                    .as(f32.parameters().get(i).name()).isLessThan(1e-4);
        }
    }

    private static double relative(INDArray a, INDArray b) {
        INDArray d = a.castTo(F64).sub(b.castTo(F64));
        return d.norm2Number().doubleValue() / Math.max(b.norm2Number().doubleValue(), 1e-30);
    }

    @Test
    void sameSeedSameModelDifferentSeedDifferentModel() {
        TransformerEncoder a = new TransformerEncoder(ACC, TransformerConfig.defaults(), DataType.FLOAT, new SplittableRandom(1));
        TransformerEncoder b = new TransformerEncoder(ACC, TransformerConfig.defaults(), DataType.FLOAT, new SplittableRandom(1));
        TransformerEncoder c = new TransformerEncoder(ACC, TransformerConfig.defaults(), DataType.FLOAT, new SplittableRandom(2));
        for (int i = 0; i < a.parameters().size(); i++) {
            assertThat(a.parameters().get(i).value()).isEqualTo(b.parameters().get(i).value());
        }
        assertThat(a.parameters().get(0).value()).isNotEqualTo(c.parameters().get(0).value());
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 40, 3);
        INDArray ya = a.encode(x, Pass.training(new SplittableRandom(9))).output();
        INDArray yb = b.encode(x, Pass.training(new SplittableRandom(9))).output();
        INDArray yOther = b.encode(x, Pass.training(new SplittableRandom(10))).output();
        assertThat(ya).isEqualTo(yb);
        assertThat(ya).isNotEqualTo(yOther);
        assertThat(a.encode(x, Pass.inference()).output()).isEqualTo(b.encode(x, Pass.inference()).output());
    }

    @Test
    void positionsAreUsedPermutingPatchesChangesTheEmbedding() {
        TransformerConfig cfg = new TransformerConfig(null, null, null, null, 4, null, null, null);
        TransformerEncoder e = new TransformerEncoder(ACC, cfg, DataType.DOUBLE, new SplittableRandom(4));
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 32, 3);
        // reverse the order of the 8 patches of 4 samples (samples inside each patch keep their order)
        INDArray reversed = x.ulike();
        for (int k = 0; k < 8; k++) {
            reversed.get(NDArrayIndex.all(), NDArrayIndex.interval(4 * k, 4 * k + 4), NDArrayIndex.all())
                    .assign(x.get(NDArrayIndex.all(), NDArrayIndex.interval(4 * (7 - k), 4 * (7 - k) + 4), NDArrayIndex.all()));
        }
        INDArray l1 = e.encode(x, Pass.inference()).output();
        INDArray l2 = e.encode(reversed, Pass.inference()).output();
        // without positions, the blocks are permutation-equivariant and the mean pool would be equal
        INDArray q1 = e.pool(l1, null, Pass.inference()).output();
        INDArray q2 = e.pool(l2, null, Pass.inference()).output();
        double diff = q1.sub(q2).norm2Number().doubleValue() / q1.norm2Number().doubleValue();
        assertThat(diff).isGreaterThan(1e-2);
        // and the first token of the reversed input is not the last token of the original
        INDArray last = l1.get(NDArrayIndex.all(), NDArrayIndex.point(7), NDArrayIndex.all());
        INDArray first = l2.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all());
        assertThat(last.sub(first).norm2Number().doubleValue()).isGreaterThan(1e-2 * last.norm2Number().doubleValue());
    }

    @Test
    void positionalEncodingFormula() {
        INDArray pe = SinusoidalPositions.compute(5, 7);
        assertThat(pe.shape()).containsExactly(5, 7);
        assertThat(pe.getDouble(0, 0)).isEqualTo(0.0);
        assertThat(pe.getDouble(0, 1)).isEqualTo(1.0);
        assertThat(pe.getDouble(3, 0)).isCloseTo(Math.sin(3), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(pe.getDouble(3, 4)).isCloseTo(Math.sin(3 * Math.pow(10000, -4.0 / 7)), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(pe.getDouble(3, 5)).isCloseTo(Math.cos(3 * Math.pow(10000, -4.0 / 7)), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(pe.getDouble(4, 6)).isCloseTo(Math.sin(4 * Math.pow(10000, -6.0 / 7)), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void configDefaultsAndErrorsNameTheKey() {
        TransformerConfig d = TransformerConfig.defaults();
        assertThat(d).isEqualTo(new TransformerConfig(96, 64, 2, 4, 8, 2, 0.1, 1e-5));
        assertThat(d.headSize()).isEqualTo(16);
        assertThatThrownBy(() -> new TransformerConfig(null, 64, null, 5, null, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("heads:").hasMessageContaining("divisible");
        assertThat(((ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> new TransformerConfig(null, 64, null, 5, null, null, null, null))).key()).isEqualTo("heads");
        String[] keys = {"codeSize", "width", "depth", "heads", "patchLength", "mlpRatio"};
        for (int k = 0; k < keys.length; k++) {
            Integer[] v = new Integer[6];
            v[k] = 0;
            assertThatThrownBy(() -> new TransformerConfig(v[0], v[1], v[2], v[3], v[4], v[5], null, null))
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith(keys[k] + ":");
        }
        assertThatThrownBy(() -> new TransformerConfig(null, null, null, null, null, null, 1.0, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("dropout:");
        assertThatThrownBy(() -> new TransformerConfig(null, null, null, null, null, null, null, 0.0))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("layerNormEpsilon:");
    }

    @Test
    void wrongChannelCountAndTooShortInputFailClearly() {
        TransformerEncoder e = new TransformerEncoder(ACC, TransformerConfig.defaults(), DataType.FLOAT, new SplittableRandom(0));
        assertThatThrownBy(() -> e.encode(Nd4j.zeros(DataType.FLOAT, 2, 16, 4), Pass.inference()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expects [B, T, 3]");
        assertThatThrownBy(() -> e.encode(Nd4j.zeros(DataType.FLOAT, 2, 5, 3), Pass.inference()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("T=5").hasMessageContaining("patchLength=8");
        assertThatThrownBy(() -> e.latentLength(7)).hasMessageContaining("T=7").hasMessageContaining("patchLength=8");
        assertThat(e.latentLength(8)).isEqualTo(1);
    }

    @Test
    void runsInsideWorkspacesThatCloseBetweenSteps() {
        // the core runs every step in an ND4J workspace; nothing cached may live in one
        TransformerEncoder e = new TransformerEncoder(ACC, tiny(), DataType.FLOAT, new SplittableRandom(0));
        WorkspaceConfiguration cfg = WorkspaceConfiguration.builder().initialSize(0).policyAllocation(AllocationPolicy.OVERALLOCATE)
                .policyLearning(LearningPolicy.FIRST_LOOP).policySpill(SpillPolicy.REALLOCATE).build();
        double first = 0;
        for (int i = 0; i < 4; i++) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(cfg, "transformer-test")) {
                INDArray x = Nd4j.ones(DataType.FLOAT, 2, 16, 3);
                var f = e.encode(x, Pass.training(new SplittableRandom(1)));
                f.backward(Nd4j.ones(DataType.FLOAT, 2, 8, 6));
                double s = f.output().sumNumber().doubleValue();
                if (i == 0) {
                    first = s;
                }
                assertThat(s).isEqualTo(first);
            }
        }
    }

    @Test
    void registeredAsTheTransformerProvider() {
        EncoderProvider<?> found = null;
        for (EncoderProvider<?> p : ServiceLoader.load(EncoderProvider.class)) {
            if (p.name().equals("transformer")) {
                found = p;
            }
        }
        assertThat(found).isInstanceOf(TransformerProvider.class);
        assertThat(found.configType()).isEqualTo(TransformerConfig.class);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Encoder e = ((TransformerProvider) found).create(ACC, TransformerConfig.defaults(), type, new SplittableRandom(0));
            assertThat(e.parameters()).allSatisfy(p -> assertThat(p.value().dataType()).isEqualTo(type));
        }
    }
}
