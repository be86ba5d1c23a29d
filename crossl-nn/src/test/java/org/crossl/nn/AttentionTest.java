package org.crossl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.crossl.api.nn.Forward;
import org.crossl.nn.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The attention core alone: the key mask, float64 finite differences, and float32 against float64. */
class AttentionTest {
    private static final DataType F64 = DataType.DOUBLE;
    private static final int G = 3;
    private static final int T = 4;
    private static final int W = 6;
    private static final int H = 2;

    private static INDArray mask() {
        return Nd4j.createFromArray(new double[][] {{1, 0, 1, 1}, {0, 0, 1, 0}, {1, 1, 1, 1}});
    }

    @Test
    void aMaskedKeyIsTheSameAsAnAbsentToken() {
        Nd4j.getRandom().setSeed(3);
        INDArray qkv = Nd4j.randn(F64, G * T, 3 * W);
        INDArray o = Attention.forward(qkv, G, T, H, mask()).output();
        // group 0 without token 1: the three visible tokens as a group of three
        INDArray visible = qkv.getRows(0, 2, 3);
        INDArray alone = Attention.forward(visible, 1, 3, H, null).output();
        assertThat(o.getRows(0, 2, 3).sub(alone).amaxNumber().doubleValue()).isLessThan(1e-12);
        // group 1 has one key: every query reads that token's V
        INDArray v2 = qkv.getRow(4 + 2).get(NDArrayIndex.interval(2 * W, 3 * W));
        for (int i = 4; i < 8; i++) {
            assertThat(o.getRow(i).sub(v2).amaxNumber().doubleValue()).isLessThan(1e-12);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesWithAndWithoutAMask() {
        for (INDArray mask : new INDArray[] {null, mask()}) {
            Nd4j.getRandom().setSeed(5);
            INDArray qkv = Nd4j.randn(F64, G * T, 3 * W);
            GradientCheck.Result r = GradientCheck.check(in -> Attention.forward(in, G, T, H, mask), qkv, List.of(), true, 216, 1);
            assertThat(r.checked()).isEqualTo(216);
            assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-6);
        }
    }

    @Test
    void maskedKeysGetExactlyZeroGradient() {
        Nd4j.getRandom().setSeed(6);
        INDArray qkv = Nd4j.randn(F64, G * T, 3 * W);
        Forward f = Attention.forward(qkv, G, T, H, mask());
        INDArray g = f.backward(Nd4j.randn(F64, G * T, W));
        for (int row : new int[] {1, 4, 5, 7}) { // masked tokens: their K and V columns
            assertThat(g.getRow(row).get(NDArrayIndex.interval(W, 3 * W)).amaxNumber().doubleValue()).isZero();
        }
    }

    @Test
    void float32MatchesFloat64() {
        Nd4j.getRandom().setSeed(7);
        INDArray qkv = Nd4j.randn(F64, G * T, 3 * W);
        INDArray dy = Nd4j.randn(F64, G * T, W);
        Forward a = Attention.forward(qkv.castTo(DataType.FLOAT), G, T, H, mask().castTo(DataType.FLOAT));
        Forward b = Attention.forward(qkv, G, T, H, mask());
        assertThat(a.output().castTo(F64).sub(b.output()).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(a.backward(dy.castTo(DataType.FLOAT)).castTo(F64).sub(b.backward(dy)).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void refusesAMaskThatLeavesAGroupWithoutKeys() {
        INDArray qkv = Nd4j.zeros(F64, G * T, 3 * W);
        INDArray empty = mask();
        empty.getRow(1).assign(0);
        assertThatThrownBy(() -> Attention.forward(qkv, G, T, H, empty)).hasMessageContaining("group 1 with no key");
        assertThatThrownBy(() -> Attention.forward(qkv, G, T, 4, null)).hasMessageContaining("divisible by heads 4");
    }
}
