package org.crossl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The attention layer, GELU and one block alone: float64 finite differences and a plain-loop reference. */
class AttentionAndGeluTest {
    private static final DataType F64 = DataType.DOUBLE;

    private static void randomBiases(List<Parameter> params) {
        for (Parameter p : params) {
            if (p.name().endsWith(".bias")) {
                p.value().assign(Nd4j.randn(F64, p.value().shape()).muli(0.5));
            }
        }
    }

    @Test
    void attentionGradientsMatchFiniteDifferences() {
        MultiHeadSelfAttention a = new MultiHeadSelfAttention("att", 6, 3, F64, new SplittableRandom(1));
        Nd4j.getRandom().setSeed(2);
        randomBiases(a.parameters());
        INDArray x = Nd4j.randn(F64, 3, 5, 6);
        GradientCheck.Result r = GradientCheck.check(in -> a.forward(in, Pass.inference()), x, a.parameters(), true, 60, 3);
        assertThat(r.checked()).isGreaterThan(200);
        assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-6);
    }

    @Test
    void attentionMatchesAPlainLoopReference() {
        int b = 2, t = 4, w = 6, h = 2, d = 3;
        MultiHeadSelfAttention a = new MultiHeadSelfAttention("att", w, h, F64, new SplittableRandom(5));
        Nd4j.getRandom().setSeed(8);
        randomBiases(a.parameters());
        INDArray x = Nd4j.randn(F64, b, t, w);
        INDArray y = a.forward(x, Pass.inference()).output();
        List<Parameter> p = a.parameters(); // query w,b; key w; value w,b; output w,b
        INDArray rows = x.reshape(b * t, w);
        INDArray q = rows.mmul(p.get(0).value()).addRowVector(p.get(1).value()).reshape(b, t, w);
        INDArray k = rows.mmul(p.get(2).value()).reshape(b, t, w);
        INDArray v = rows.mmul(p.get(3).value()).addRowVector(p.get(4).value()).reshape(b, t, w);
        INDArray o = Nd4j.zeros(F64, b, t, w);
        for (int bi = 0; bi < b; bi++) {
            for (int hi = 0; hi < h; hi++) {
                for (int i = 0; i < t; i++) {
                    double[] s = new double[t];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        for (int c = 0; c < d; c++) {
                            s[j] += q.getDouble(bi, i, hi * d + c) * k.getDouble(bi, j, hi * d + c);
                        }
                        s[j] /= Math.sqrt(d);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < t; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int c = 0; c < d; c++) {
                        double acc = 0;
                        for (int j = 0; j < t; j++) {
                            acc += s[j] / sum * v.getDouble(bi, j, hi * d + c);
                        }
                        o.putScalar(new long[] {bi, i, hi * d + c}, acc);
                    }
                }
            }
        }
        INDArray expected = o.reshape(b * t, w).mmul(p.get(5).value()).addRowVector(p.get(6).value()).reshape(b, t, w);
        assertThat(y.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    @Test
    void geluValuesAndGradient() {
        Gelu g = new Gelu();
        INDArray x = Nd4j.createFromArray(-3.0, -1.0, 0.0, 0.5, 2.0).reshape(1, 5);
        INDArray y = g.forward(x, Pass.inference()).output();
        for (int i = 0; i < 5; i++) {
            double v = x.getDouble(0, i);
            double expected = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            assertThat(y.getDouble(0, i)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        }
        Nd4j.getRandom().setSeed(4);
        GradientCheck.Result r = GradientCheck.check(in -> g.forward(in, Pass.inference()), Nd4j.randn(F64, 4, 7).muli(2), List.of(), true, 28, 1);
        assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-6);
    }

    @Test
    void geluFloat32KernelMatchesFloat64() {
        Gelu g = new Gelu();
        Nd4j.getRandom().setSeed(12);
        INDArray x = Nd4j.randn(F64, 5, 9).muli(3);
        INDArray dy = Nd4j.randn(F64, 5, 9);
        var a = g.forward(x.castTo(DataType.FLOAT), Pass.inference());
        var b = g.forward(x, Pass.inference());
        assertThat(a.output().castTo(F64).sub(b.output()).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(a.backward(dy.castTo(DataType.FLOAT)).castTo(F64).sub(b.backward(dy)).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void residualDropoutDropsAtTheRateAndKeepsTheExpectation() {
        ResidualDropout d = new ResidualDropout(0.25);
        INDArray h = Nd4j.zeros(DataType.FLOAT, 200, 101);
        INDArray z = Nd4j.ones(DataType.FLOAT, 200, 101);
        var f = d.forward(h, z, Pass.training(new SplittableRandom(4)));
        double dropped = f.output().eq(0).castTo(DataType.FLOAT).meanNumber().doubleValue();
        assertThat(dropped).isBetween(0.23, 0.27);
        assertThat(f.output().meanNumber().doubleValue()).isBetween(0.97, 1.03);
        assertThat(f.backward(z)).isEqualTo(f.output()); // dz = m ⊙ dy
        assertThat(d.forward(h, z, Pass.inference()).output()).isEqualTo(z);
    }

    @Test
    void attentionRowsOnlyMixTokensOfTheirOwnBatchElement() {
        MultiHeadSelfAttention a = new MultiHeadSelfAttention("att", 8, 2, F64, new SplittableRandom(3));
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(F64, 3, 6, 8);
        INDArray y = a.forward(x, Pass.inference()).output();
        INDArray x2 = x.dup();
        x2.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all()).addi(1.0);
        INDArray y2 = a.forward(x2, Pass.inference()).output();
        for (int bi : new int[] {0, 2}) {
            assertThat(y2.get(NDArrayIndex.point(bi), NDArrayIndex.all(), NDArrayIndex.all()))
                    .isEqualTo(y.get(NDArrayIndex.point(bi), NDArrayIndex.all(), NDArrayIndex.all()));
        }
    }
}
