package org.crossl.encoders.cnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Pass;
import org.crossl.api.spi.ConfigException;
import org.crossl.nn.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TcnEncoderTest {
    private static final ModalitySpec ACC = new ModalitySpec("acc", List.of("x", "y", "z"), 50, "wrist");

    @Test
    void referenceShapeAndParameterCount() {
        TcnEncoder e = new TcnEncoder(ACC, TcnConfig.defaults(), DataType.FLOAT, new SplittableRandom(0));
        assertThat(e.parameterCount()).isEqualTo(57_696);
        INDArray latent = e.encode(Nd4j.randn(DataType.FLOAT, 4, 64, 3), Pass.inference()).output();
        assertThat(latent.shape()).containsExactly(4, 64, 96);
        assertThat(e.codeSize()).isEqualTo(96);
        assertThat(e.latentLength(64)).isEqualTo(64);
    }

    @Test
    void gradientsMatchFiniteDifferencesInFloat64() {
        TcnConfig small = new TcnConfig(6, List.of(4, 6), List.of(4, 3), 0.2, 0.25, 1e-3);
        TcnEncoder e = new TcnEncoder(ACC, small, DataType.DOUBLE, new SplittableRandom(3));
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 9, 3);
        // A training pass rebuilt from the same seed draws the same dropout masks every call.
        GradientCheck.Result r = GradientCheck.check(in -> e.encode(in, Pass.training(new SplittableRandom(11))), x,
                e.parameters(), false, 20, 5);
        assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
    }

    @Test
    void sameSeedSameWeightsDifferentSeedDifferentWeights() {
        TcnEncoder a = new TcnEncoder(ACC, TcnConfig.defaults(), DataType.FLOAT, new SplittableRandom(1));
        TcnEncoder b = new TcnEncoder(ACC, TcnConfig.defaults(), DataType.FLOAT, new SplittableRandom(1));
        TcnEncoder c = new TcnEncoder(ACC, TcnConfig.defaults(), DataType.FLOAT, new SplittableRandom(2));
        assertThat(a.parameters().get(0).value()).isEqualTo(b.parameters().get(0).value());
        assertThat(a.parameters().get(0).value()).isNotEqualTo(c.parameters().get(0).value());
    }

    @Test
    void configDefaultsAndErrorsNameTheKey() {
        TcnConfig d = TcnConfig.defaults();
        assertThat(d.widths()).containsExactly(24, 48, 96);
        assertThat(d.kernels()).containsExactly(24, 16, 8);
        assertThat(new TcnConfig(64, null, null, null, null, null).widths()).containsExactly(16, 32, 64);
        assertThatThrownBy(() -> new TcnConfig(null, List.of(8, 16), List.of(3), null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kernels:");
        assertThatThrownBy(() -> new TcnConfig(null, null, null, 1.5, null, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("dropout:");
    }

    @Test
    void wrongChannelCountFailsClearly() {
        TcnEncoder e = new TcnEncoder(ACC, TcnConfig.defaults(), DataType.FLOAT, new SplittableRandom(0));
        assertThatThrownBy(() -> e.encode(Nd4j.zeros(DataType.FLOAT, 2, 10, 4), Pass.inference()))
                .hasMessageContaining("expects [B, T, 3]");
    }
}
