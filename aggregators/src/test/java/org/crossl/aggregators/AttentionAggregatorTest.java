package org.crossl.aggregators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.api.spi.ConfigException;
import org.crossl.nn.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class AttentionAggregatorTest {

    /** Tiny float64 instance: D = 4, W = 4 (or a projection to 6), 2 heads, 2 blocks, Dz = 3. */
    private static AttentionAggregator tiny(int m, int d, Integer width, double dropout, long seed) {
        return new AttentionAggregator(m, d, new AttentionConfig(width, 2, 2, 2, dropout, 3), DataType.DOUBLE, new SplittableRandom(seed));
    }

    /** B = 4, M = 3 with some modalities hidden (one sample keeps a single modality). */
    private static INDArray tinyVisible() {
        return Nd4j.createFromArray(new double[][] {{1, 0, 1}, {0, 1, 0}, {1, 1, 1}, {0, 1, 1}});
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "3, 2", "8, 6", "5, 4"})
    void outputShapes(int b, int m) {
        AttentionAggregator a = new AttentionAggregator(m, 8, AttentionConfig.defaults(), DataType.FLOAT, new SplittableRandom(1));
        INDArray vis = AggregatorFixtures.visible(b, m, DataType.FLOAT);
        INDArray e = AggregatorFixtures.embeddings(2, vis, 8, DataType.FLOAT);
        for (Pass pass : new Pass[] {Pass.inference(), Pass.training(new SplittableRandom(3))}) {
            Forward f = a.aggregate(e, vis, pass);
            assertThat(f.output().shape()).containsExactly(b, 32);
            assertThat(f.output().dataType()).isEqualTo(DataType.FLOAT);
            INDArray g = f.backward(Nd4j.ones(DataType.FLOAT, b, 32));
            assertThat(g.shape()).containsExactly(b, m, 8);
            assertThat(g.dataType()).isEqualTo(DataType.FLOAT);
        }
        assertThat(a.outputSize()).isEqualTo(32);
        assertThat(a.width()).isEqualTo(8);
    }

    @Test
    void parameterNamesAndCounts() {
        AttentionAggregator a = new AttentionAggregator(6, 96, AttentionConfig.defaults(), DataType.FLOAT, new SplittableRandom(0));
        long w = 96;
        long block = 2 * w /* norm1 */ + w * 3 * w + 3 * w /* qkv */ + w * w + w /* proj */ + 2 * w /* norm2 */
                + w * 2 * w + 2 * w /* fc1 */ + 2 * w * w + w /* fc2 */;
        assertThat(a.parameterCount()).isEqualTo(6 * 96 + block + 2 * w + w * 32 + 32);
        assertThat(a.parameters()).extracting(Parameter::name).doesNotHaveDuplicates()
                .contains("modality", "block0.qkv.weight", "block0.fc2.bias", "norm.gain", "output.weight")
                .doesNotContain("input.weight");
        AttentionAggregator projected = new AttentionAggregator(6, 96, new AttentionConfig(64, 2, null, null, null, 16),
                DataType.FLOAT, new SplittableRandom(0));
        assertThat(projected.parameters()).extracting(Parameter::name).contains("input.weight", "block1.proj.weight");
        assertThat(projected.outputSize()).isEqualTo(16);
    }

    @ParameterizedTest
    @CsvSource({"4, , 0.0", "4, , 0.3", "5, 6, 0.0", "5, 6, 0.3"})
    void gradientsMatchFiniteDifferencesInFloat64(int d, Integer width, double dropout) {
        AttentionAggregator a = tiny(3, d, width, dropout, 11);
        // move LayerNorm gains/biases and the biases off their initial values so their gradients are generic
        SplittableRandom r = new SplittableRandom(5);
        for (Parameter p : a.parameters()) {
            if (p.name().endsWith(".bias") || p.name().endsWith(".gain")) {
                p.value().addi(org.crossl.nn.Init.uniform(r, DataType.DOUBLE, -0.3, 0.3, p.value().shape()));
            }
        }
        INDArray vis = tinyVisible();
        INDArray e = AggregatorFixtures.embeddings(7, vis, d, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(3);
        // a training pass rebuilt from the same seed draws the same dropout masks on every call
        java.util.function.Function<INDArray, Forward> f = in -> a.aggregate(in, vis,
                dropout > 0 ? Pass.training(new SplittableRandom(9)) : Pass.inference());
        // The key bias has a gradient of exactly zero in exact arithmetic (softmax ignores a constant
        // added to every score of a row), so both its analytic and numeric gradients are rounding
        // noise: relative errors mean nothing there. It is checked separately below.
        List<Parameter> generic = a.parameters().stream().filter(p -> !p.name().endsWith(".qkv.bias")).toList();
        GradientCheck.Result res = GradientCheck.check(f, e, generic, true, 12, 4);
        assertThat(res.maxRelativeError()).as(res.worst()).isLessThan(1e-6);
        assertThat(res.checked()).isGreaterThan(100);

        int w = a.width();
        for (Parameter p : a.parameters()) {
            if (!p.name().endsWith(".qkv.bias")) {
                continue;
            }
            p.grad().assign(0);
            INDArray weights = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5);
            f.apply(e).backward(weights);
            INDArray analytic = p.grad().dup();
            java.util.function.DoubleSupplier loss = () -> f.apply(e).output().mul(weights).sumNumber().doubleValue();
            var q = NDArrayIndex.interval(0, w);
            var k = NDArrayIndex.interval(w, 2 * w);
            var v = NDArrayIndex.interval(2 * w, 3 * w);
            GradientCheck.Result qv = GradientCheck.checkScalar(loss, List.of(new GradientCheck.Target(p.name() + " (query)", p.value().get(q),
                    analytic.get(q)), new GradientCheck.Target(p.name() + " (value)", p.value().get(v), analytic.get(v))), 1e-6, 1e-8, 3 * w, 0);
            assertThat(qv.maxRelativeError()).as(qv.worst()).isLessThan(1e-6);
            // the key bias shifts every score of a query by one constant: softmax ignores it, so both gradients are zero
            // (a floor of 1e-2 makes the error absolute: |analytic − numeric| < 1e-8)
            GradientCheck.Result key = GradientCheck.checkScalar(loss, List.of(new GradientCheck.Target(p.name() + " (key)", p.value().get(k),
                    analytic.get(k))), 1e-6, 1e-2, w, 0);
            assertThat(key.maxRelativeError()).as(key.worst()).isLessThan(1e-6);
            assertThat(analytic.get(k).amaxNumber().doubleValue()).as("%s (key bias)", p.name()).isLessThan(1e-12);
        }
    }

    @Test
    void invisibleModalitiesDoNotChangeTheOutput() {
        AttentionAggregator a = tiny(3, 4, 6, 0.3, 13);
        INDArray vis = tinyVisible();
        INDArray e = AggregatorFixtures.embeddings(17, vis, 4, DataType.DOUBLE);
        INDArray scrambled = AggregatorFixtures.scrambleInvisible(e, vis, 19);
        assertThat(scrambled).isNotEqualTo(e);
        assertThat(a.aggregate(scrambled, vis, Pass.inference()).output()).isEqualTo(a.aggregate(e, vis, Pass.inference()).output());
        INDArray nan = e.dup();
        nan.putScalar(new long[] {0, 1, 2}, Double.NaN); // even a NaN in a hidden modality is never read
        assertThat(a.aggregate(nan, vis, Pass.inference()).output()).isEqualTo(a.aggregate(e, vis, Pass.inference()).output());
        INDArray train1 = a.aggregate(scrambled, vis, Pass.training(new SplittableRandom(4))).output();
        INDArray train2 = a.aggregate(e, vis, Pass.training(new SplittableRandom(4))).output();
        assertThat(train1).isEqualTo(train2);
        // while a visible modality does change it
        INDArray changed = e.dup();
        changed.putScalar(new long[] {0, 0, 1}, 3.0);
        assertThat(a.aggregate(changed, vis, Pass.inference()).output()).isNotEqualTo(a.aggregate(e, vis, Pass.inference()).output());
    }

    @Test
    void invisibleModalitiesGetExactlyZeroGradient() {
        AttentionAggregator a = tiny(3, 4, null, 0.2, 21);
        INDArray vis = tinyVisible();
        INDArray e = AggregatorFixtures.scrambleInvisible(AggregatorFixtures.embeddings(23, vis, 4, DataType.DOUBLE), vis, 29);
        Forward f = a.aggregate(e, vis, Pass.training(new SplittableRandom(31)));
        INDArray g = f.backward(Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5));
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                double norm = g.get(NDArrayIndex.point(i), NDArrayIndex.point(j), NDArrayIndex.all()).norm2Number().doubleValue();
                if (vis.getDouble(i, j) == 0) {
                    assertThat(norm).as("gradient into hidden [%d, %d]", i, j).isZero();
                } else {
                    assertThat(norm).as("gradient into visible [%d, %d]", i, j).isPositive();
                }
            }
        }
    }

    /** Modality 1 is hidden in every sample but one: only that sample's tokens reach its embedding P[1]. */
    @Test
    void modalityEmbeddingOfAnAlwaysHiddenModalityGetsNoGradient() {
        AttentionAggregator a = tiny(3, 4, null, 0.0, 37);
        INDArray vis = Nd4j.createFromArray(new double[][] {{1, 0, 1}, {1, 0, 0}, {0, 0, 1}});
        Forward f = a.aggregate(AggregatorFixtures.embeddings(41, vis, 4, DataType.DOUBLE), vis, Pass.inference());
        f.backward(Nd4j.rand(DataType.DOUBLE, 3, 3).subi(0.5));
        INDArray gp = a.parameters().get(0).grad();
        assertThat(a.parameters().get(0).name()).isEqualTo("modality");
        assertThat(gp.getRow(1).norm2Number().doubleValue()).isZero();
        assertThat(gp.getRow(0).norm2Number().doubleValue()).isPositive();
    }

    @Test
    void deterministicUnderASeed() {
        INDArray vis = AggregatorFixtures.visible(6, 4, DataType.FLOAT);
        INDArray e = AggregatorFixtures.embeddings(3, vis, 8, DataType.FLOAT);
        AttentionConfig c = new AttentionConfig(null, 2, 2, null, 0.2, 5);
        AttentionAggregator a = new AttentionAggregator(4, 8, c, DataType.FLOAT, new SplittableRandom(77));
        AttentionAggregator b = new AttentionAggregator(4, 8, c, DataType.FLOAT, new SplittableRandom(77));
        AttentionAggregator other = new AttentionAggregator(4, 8, c, DataType.FLOAT, new SplittableRandom(78));
        for (int i = 0; i < a.parameters().size(); i++) {
            assertThat(a.parameters().get(i).value()).isEqualTo(b.parameters().get(i).value());
        }
        assertThat(a.aggregate(e, vis, Pass.inference()).output()).isEqualTo(b.aggregate(e, vis, Pass.inference()).output());
        assertThat(a.aggregate(e, vis, Pass.training(new SplittableRandom(5))).output())
                .isEqualTo(b.aggregate(e, vis, Pass.training(new SplittableRandom(5))).output());
        assertThat(a.aggregate(e, vis, Pass.training(new SplittableRandom(5))).output())
                .isNotEqualTo(a.aggregate(e, vis, Pass.training(new SplittableRandom(6))).output());
        assertThat(other.aggregate(e, vis, Pass.inference()).output()).isNotEqualTo(a.aggregate(e, vis, Pass.inference()).output());
    }

    @Test
    void rejectsASampleWithNoVisibleModalityAndBadMasks() {
        AttentionAggregator a = tiny(3, 4, null, 0.0, 1);
        INDArray e = Nd4j.rand(DataType.DOUBLE, 2, 3, 4);
        assertThatThrownBy(() -> a.aggregate(e, Nd4j.createFromArray(new double[][] {{1, 0, 1}, {0, 0, 0}}), Pass.inference()))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample 1").hasMessageContaining("no visible modality");
        assertThatThrownBy(() -> a.aggregate(e, Nd4j.createFromArray(new double[][] {{1, 0.5, 1}, {1, 1, 1}}), Pass.inference()))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 or 1");
        assertThatThrownBy(() -> a.aggregate(e, Nd4j.ones(DataType.DOUBLE, 2, 2), Pass.inference()))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("visible [2, 3]");
        assertThatThrownBy(() -> a.aggregate(Nd4j.rand(DataType.DOUBLE, 2, 3, 5), Nd4j.ones(DataType.DOUBLE, 2, 3), Pass.inference()))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("[B, 3, 4]");
    }

    @Test
    void configDefaults() {
        AttentionConfig c = AttentionConfig.defaults();
        assertThat(c).isEqualTo(new AttentionConfig(null, 1, 4, 2, 0.1, 32));
        assertThat(c.output()).isEqualTo(MlpConfig.defaults().output());
        assertThat(c.widthFor(96)).isEqualTo(96);
    }

    @ParameterizedTest
    @CsvSource({
        "width, 0, , , , , ",
        "depth, , -1, , , , ",
        "heads, , , 0, , , ",
        "heads, 10, , 4, , , ",
        "mlpRatio, , , , 0, , ",
        "dropout, , , , , 1.0, ",
        "dropout, , , , , -0.1, ",
        "dropout, , , , , NaN, ",
        "output, , , , , , 0"})
    void invalidValuesNameTheirKey(String key, Integer width, Integer depth, Integer heads, Integer mlpRatio, Double dropout, Integer output) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new AttentionConfig(width, depth, heads, mlpRatio, dropout, output));
        assertThat(e).isNotNull();
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).startsWith(key + ": ");
    }

    @Test
    void headsMustDivideTheDefaultWidth() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new AttentionAggregator(3, 10, AttentionConfig.defaults(), DataType.FLOAT, new SplittableRandom(0)));
        assertThat(e.key()).isEqualTo("heads");
        assertThat(e.reason()).contains("10").contains("width");
        assertThat(new AttentionAggregator(3, 10, new AttentionConfig(null, null, 5, null, null, null), DataType.FLOAT,
                new SplittableRandom(0)).width()).isEqualTo(10);
        assertThat(List.of(new AttentionConfig(8, null, null, null, null, null).widthFor(10))).containsExactly(8);
    }
}
