package org.crossl.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.crossl.api.nn.Parameter;
import org.crossl.core.config.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Adam's float32 single-pass update against a hand-computed step and against the float64 ND4J-op path. */
class AdamTest {
    private static final OptimizerConfig CONFIG = new OptimizerConfig("adam", 1e-3, 0.9, 0.999, 1e-7, 1e-4);

    @Test
    void firstStepMatchesTheFormulaByHand() {
        Parameter p = new Parameter("w", Nd4j.createFromArray(1.0f, -2.0f), true);
        p.grad().assign(Nd4j.createFromArray(0.5f, -0.25f));
        new Adam(CONFIG, List.of(p)).step();
        double lrT = 1e-3 * Math.sqrt(1 - 0.999) / (1 - 0.9);
        double[] theta = {1.0, -2.0};
        double[] grad = {0.5, -0.25};
        for (int k = 0; k < 2; k++) {
            double g = grad[k] + 2 * 1e-4 * theta[k]; // L2 on a decayed parameter
            double m = 0.1 * g;
            double v = 0.001 * g * g;
            double expected = theta[k] - m / (Math.sqrt(v) + 1e-7) * lrT;
            assertThat(p.value().getDouble(k)).as("theta[%d]", k).isCloseTo(expected, within(1e-7));
        }
    }

    @Test
    void float32PassMatchesTheFloat64OpsOverSeveralSteps() {
        Nd4j.getRandom().setSeed(3);
        INDArray w64 = Nd4j.randn(DataType.DOUBLE, 7, 5);
        INDArray b64 = Nd4j.randn(DataType.DOUBLE, 5);
        Parameter w32 = new Parameter("w", w64.castTo(DataType.FLOAT), true);
        Parameter b32 = new Parameter("b", b64.castTo(DataType.FLOAT), false);
        Parameter wd = new Parameter("w", w64.dup(), true);
        Parameter bd = new Parameter("b", b64.dup(), false);
        Adam fast = new Adam(CONFIG, List.of(w32, b32));
        Adam reference = new Adam(CONFIG, List.of(wd, bd));
        for (int step = 0; step < 6; step++) {
            INDArray gw = Nd4j.randn(DataType.DOUBLE, 7, 5);
            INDArray gb = Nd4j.randn(DataType.DOUBLE, 5).muli(step + 1);
            fast.zeroGrad();
            reference.zeroGrad();
            w32.grad().assign(gw.castTo(DataType.FLOAT));
            b32.grad().assign(gb.castTo(DataType.FLOAT));
            wd.grad().assign(gw);
            bd.grad().assign(gb);
            fast.step();
            reference.step();
        }
        assertThat(w32.value().castTo(DataType.DOUBLE).sub(wd.value()).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(b32.value().castTo(DataType.DOUBLE).sub(bd.value()).amaxNumber().doubleValue()).isLessThan(1e-6);
        // the moments too: a resumed run reads them from checkpoints
        for (int i = 0; i < 4; i++) {
            assertThat(fast.state().get(i).castTo(DataType.DOUBLE).sub(reference.state().get(i)).amaxNumber().doubleValue())
                    .as("moment %d", i).isLessThan(1e-5);
        }
    }
}
