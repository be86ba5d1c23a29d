package org.crossl.aggregators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.SplittableRandom;
import org.crossl.api.nn.Forward;
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

class MeanAggregatorTest {

    @Test
    void isTheMeanOfTheVisibleModalities() {
        INDArray e = Nd4j.createFromArray(new double[][][] {
                {{1, 2}, {3, 4}, {100, 100}},
                {{5, 6}, {-7, -8}, {9, 10}}});
        INDArray vis = Nd4j.createFromArray(new double[][] {{1, 1, 0}, {1, 0, 0}});
        MeanAggregator a = new MeanAggregator(3, 2, MeanConfig.defaults(), DataType.DOUBLE, new SplittableRandom(0));
        Forward f = a.aggregate(e, vis, Pass.inference());
        assertThat(f.output()).isEqualTo(Nd4j.createFromArray(new double[][] {{2, 3}, {5, 6}}));
        assertThat(a.outputSize()).isEqualTo(2);
        assertThat(a.parameters()).isEmpty();
        INDArray g = f.backward(Nd4j.createFromArray(new double[][] {{2, 4}, {1, -1}}));
        assertThat(g).isEqualTo(Nd4j.createFromArray(new double[][][] {
                {{1, 2}, {1, 2}, {0, 0}},
                {{1, -1}, {0, 0}, {0, 0}}}));
    }

    @ParameterizedTest
    @CsvSource({"1, 1, ", "3, 2, ", "8, 6, 5", "5, 4, 16"})
    void outputShapes(int b, int m, Integer output) {
        MeanAggregator a = new MeanAggregator(m, 8, new MeanConfig(output), DataType.FLOAT, new SplittableRandom(1));
        INDArray vis = AggregatorFixtures.visible(b, m, DataType.FLOAT);
        Forward f = a.aggregate(AggregatorFixtures.embeddings(2, vis, 8, DataType.FLOAT), vis, Pass.inference());
        int dz = output == null ? 8 : output;
        assertThat(a.outputSize()).isEqualTo(dz);
        assertThat(f.output().shape()).containsExactly(b, dz);
        assertThat(f.backward(Nd4j.ones(DataType.FLOAT, b, dz)).shape()).containsExactly(b, m, 8);
    }

    @ParameterizedTest
    @CsvSource(value = {"-", "3"}, nullValues = "-")
    void gradientsMatchFiniteDifferencesInFloat64(Integer output) {
        MeanAggregator a = new MeanAggregator(3, 4, new MeanConfig(output), DataType.DOUBLE, new SplittableRandom(3));
        INDArray vis = Nd4j.createFromArray(new double[][] {{1, 0, 1}, {0, 1, 0}, {1, 1, 1}, {0, 1, 1}});
        INDArray e = AggregatorFixtures.embeddings(5, vis, 4, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(3);
        GradientCheck.Result r = GradientCheck.check(in -> a.aggregate(in, vis, Pass.inference()), e, a.parameters(), true, 100, 4);
        assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-6);
    }

    @Test
    void invisibleModalitiesDoNotMatterAndGetZeroGradient() {
        MeanAggregator a = new MeanAggregator(4, 6, new MeanConfig(5), DataType.DOUBLE, new SplittableRandom(3));
        INDArray vis = AggregatorFixtures.visible(7, 4, DataType.DOUBLE);
        INDArray e = AggregatorFixtures.embeddings(5, vis, 6, DataType.DOUBLE);
        INDArray scrambled = AggregatorFixtures.scrambleInvisible(e, vis, 6);
        assertThat(a.aggregate(scrambled, vis, Pass.inference()).output()).isEqualTo(a.aggregate(e, vis, Pass.inference()).output());
        INDArray g = a.aggregate(scrambled, vis, Pass.inference()).backward(Nd4j.rand(DataType.DOUBLE, 7, 5));
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 4; j++) {
                double norm = g.get(NDArrayIndex.point(i), NDArrayIndex.point(j), NDArrayIndex.all()).norm2Number().doubleValue();
                if (vis.getDouble(i, j) == 0) {
                    assertThat(norm).isZero();
                } else {
                    assertThat(norm).isPositive();
                }
            }
        }
    }

    @Test
    void deterministicUnderASeed() {
        INDArray vis = AggregatorFixtures.visible(4, 3, DataType.FLOAT);
        INDArray e = AggregatorFixtures.embeddings(1, vis, 8, DataType.FLOAT);
        MeanAggregator a = new MeanAggregator(3, 8, new MeanConfig(4), DataType.FLOAT, new SplittableRandom(9));
        MeanAggregator b = new MeanAggregator(3, 8, new MeanConfig(4), DataType.FLOAT, new SplittableRandom(9));
        assertThat(a.aggregate(e, vis, Pass.inference()).output()).isEqualTo(b.aggregate(e, vis, Pass.inference()).output());
    }

    @Test
    void rejectsASampleWithNoVisibleModality() {
        MeanAggregator a = new MeanAggregator(2, 3, MeanConfig.defaults(), DataType.DOUBLE, new SplittableRandom(0));
        assertThatThrownBy(() -> a.aggregate(Nd4j.rand(DataType.DOUBLE, 2, 2, 3), Nd4j.createFromArray(new double[][] {{0, 0}, {1, 0}}),
                Pass.inference())).isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample 0");
    }

    @Test
    void config() {
        assertThat(MeanConfig.defaults().output()).isNull();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new MeanConfig(0));
        assertThat(e.key()).isEqualTo("output");
    }
}
