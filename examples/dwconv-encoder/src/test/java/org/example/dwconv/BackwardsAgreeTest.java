package org.example.dwconv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Pass;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The hand-written backward and the SameDiff-derived one: same weights, same outputs, same gradients. */
class BackwardsAgreeTest {
    private static final ModalitySpec ACC = new ModalitySpec("acc", List.of("x", "y", "z"), 50, null);

    @Test
    void manualAndAutodiffAgreeInFloat64() {
        Encoder manual = new DwConvProvider().create(ACC, new DwConvConfig(List.of(6, 5), 5, "manual"), DataType.DOUBLE, new SplittableRandom(3));
        Encoder auto = new DwConvProvider().create(ACC, new DwConvConfig(List.of(6, 5), 5, "autodiff"), DataType.DOUBLE, new SplittableRandom(3));
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 11, 3);
        INDArray g = Nd4j.randn(DataType.DOUBLE, 3, 11, 5);
        Forward fm = manual.encode(x, Pass.inference());
        Forward fa = auto.encode(x, Pass.inference());
        assertThat(fa.output().sub(fm.output()).amaxNumber().doubleValue()).isLessThan(1e-12);
        fm.backward(g);
        fa.backward(g);
        for (int i = 0; i < manual.parameters().size(); i++) {
            var pm = manual.parameters().get(i);
            var pa = auto.parameters().get(i);
            assertThat(pa.name()).isEqualTo(pm.name());
            assertThat(pa.grad().sub(pm.grad()).amaxNumber().doubleValue()).as(pm.name()).isLessThan(1e-10);
        }
    }
}
