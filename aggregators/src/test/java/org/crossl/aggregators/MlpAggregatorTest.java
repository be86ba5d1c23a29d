package org.crossl.aggregators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Pass;
import org.crossl.api.spi.ConfigException;
import org.crossl.nn.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MlpAggregatorTest {

    @Test
    void referenceShapes() {
        MlpAggregator a = new MlpAggregator(6, 96, MlpConfig.defaults(), DataType.FLOAT, new SplittableRandom(0));
        INDArray z = a.aggregate(Nd4j.randn(DataType.FLOAT, 8, 6, 96), Nd4j.ones(DataType.FLOAT, 8, 6), Pass.inference()).output();
        assertThat(z.shape()).containsExactly(8, 32);
        // 576*64+64 + 64*32+32 + 32*32+32 + 2*32
        assertThat(a.parameterCount()).isEqualTo(576 * 64 + 64 + 64 * 32 + 32 + 32 * 32 + 32 + 64);
        // LayerNorm output: each row has mean 0 and (biased) variance close to 1.
        assertThat(z.mean(1).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void gradientsMatchFiniteDifferencesInFloat64() {
        MlpAggregator a = new MlpAggregator(3, 4, new MlpConfig(List.of(5, 4), 3, true), DataType.DOUBLE, new SplittableRandom(2));
        Nd4j.getRandom().setSeed(3);
        INDArray e = Nd4j.randn(DataType.DOUBLE, 5, 3, 4);
        INDArray visible = Nd4j.ones(DataType.DOUBLE, 5, 3);
        GradientCheck.Result r = GradientCheck.check(in -> a.aggregate(in, visible, Pass.inference()), e, a.parameters(), true, 30, 4);
        assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
    }

    @Test
    void configValidation() {
        assertThatThrownBy(() -> new MlpConfig(List.of(0), null, null)).isInstanceOf(ConfigException.class).hasMessageStartingWith("hidden:");
        assertThatThrownBy(() -> new MlpConfig(null, -1, null)).isInstanceOf(ConfigException.class).hasMessageStartingWith("output:");
    }
}
