package org.crossl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.crossl.api.nn.Pass;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The convolution against a direct loop with the reference's 'same' padding convention. */
class Conv1dTest {

    /** 'same': left pad (K−1)/2 rounded down, the rest on the right (TensorFlow/PyTorch). */
    private static double[][][] direct(INDArray x, INDArray w, INDArray b) {
        int bs = (int) x.size(0), t = (int) x.size(1), ci = (int) x.size(2);
        int k = (int) w.size(0), co = (int) w.size(2);
        int pl = (k - 1) / 2;
        double[][][] y = new double[bs][t][co];
        for (int n = 0; n < bs; n++) {
            for (int s = 0; s < t; s++) {
                for (int o = 0; o < co; o++) {
                    double acc = b.getDouble(o);
                    for (int j = 0; j < k; j++) {
                        int src = s + j - pl;
                        if (src < 0 || src >= t) {
                            continue;
                        }
                        for (int i = 0; i < ci; i++) {
                            acc += w.getDouble(j, i, o) * x.getDouble(n, src, i);
                        }
                    }
                    y[n][s][o] = acc;
                }
            }
        }
        return y;
    }

    @Test
    void matchesDirectConvolutionWithSamePadding() {
        for (int k : new int[]{1, 2, 5, 8, 24}) {
            Conv1d conv = new Conv1d("c", 3, 4, k, DataType.DOUBLE, new SplittableRandom(k));
            conv.parameters().get(1).value().assign(Nd4j.createFromArray(0.1, -0.2, 0.3, 0.0));
            Nd4j.getRandom().setSeed(k);
            INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 30, 3);
            INDArray y = conv.forward(x, Pass.inference()).output();
            double[][][] expected = direct(x, conv.parameters().get(0).value(), conv.parameters().get(1).value());
            assertThat(y.shape()).containsExactly(2, 30, 4);
            for (int n = 0; n < 2; n++) {
                for (int s = 0; s < 30; s++) {
                    for (int o = 0; o < 4; o++) {
                        assertThat(y.getDouble(n, s, o)).as("k=%d n=%d t=%d o=%d", k, n, s, o)
                                .isCloseTo(expected[n][s][o], org.assertj.core.data.Offset.offset(1e-9));
                    }
                }
            }
        }
    }

    @Test
    void glorotInitialisationHasTheKerasRange() {
        Conv1d conv = new Conv1d("c", 3, 24, 24, DataType.FLOAT, new SplittableRandom(0));
        double limit = Math.sqrt(6.0 / (24 * 3 + 24 * 24));
        INDArray w = conv.parameters().get(0).value();
        assertThat(w.maxNumber().doubleValue()).isLessThanOrEqualTo(limit).isGreaterThan(0.9 * limit);
        assertThat(w.minNumber().doubleValue()).isGreaterThanOrEqualTo(-limit).isLessThan(-0.9 * limit);
    }
}
