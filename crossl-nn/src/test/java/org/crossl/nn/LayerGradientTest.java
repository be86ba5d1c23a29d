package org.crossl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Pass;
import org.crossl.nn.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Float64 finite-difference checks of every layer's backward pass on small shapes. */
class LayerGradientTest {
    private static final DataType F64 = DataType.DOUBLE;

    private static INDArray input(long... shape) {
        Nd4j.getRandom().setSeed(42);
        return Nd4j.randn(F64, shape);
    }

    private static void assertGradientsMatch(Layer layer, INDArray x, boolean checkInput) {
        GradientCheck.Result r = GradientCheck.check(in -> layer.forward(in, Pass.inference()), x, layer.parameters(), checkInput, 60, 1);
        assertThat(r.checked()).isPositive();
        assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
    }

    @Test
    void conv1dOddAndEvenKernels() {
        for (int k : new int[]{1, 3, 4, 8}) {
            Conv1d conv = new Conv1d("c", 3, 5, k, F64, new SplittableRandom(k));
            conv.parameters().get(1).value().assign(Nd4j.randn(F64, 5));
            assertGradientsMatch(conv, input(2, 11, 3), true);
        }
    }

    @Test
    void layerNorm() {
        LayerNorm ln = new LayerNorm("ln", 6, 1e-3, F64);
        ln.parameters().get(0).value().assign(Nd4j.randn(F64, 6));
        ln.parameters().get(1).value().assign(Nd4j.randn(F64, 6));
        assertGradientsMatch(ln, input(2, 4, 6), true);
        assertGradientsMatch(ln, input(5, 6), true);
    }

    @Test
    void prelu() {
        PReLU p = new PReLU("p", 4, 0.25, F64);
        p.parameters().get(0).value().assign(Nd4j.createFromArray(0.1, -0.3, 0.5, 2.0));
        assertGradientsMatch(p, input(3, 5, 4), true);
    }

    @Test
    void denseAndRelu() {
        Sequential s = new Sequential(List.of(new Dense("d1", 7, 5, F64, new SplittableRandom(1)), new ReLU(),
                new Dense("d2", 5, 3, F64, new SplittableRandom(2))));
        assertGradientsMatch(s, input(4, 7), true);
    }

    @Test
    void dropoutWithFixedMaskIsDifferentiable() {
        Dropout d = new Dropout(0.3);
        INDArray x = input(4, 6);
        GradientCheck.Result r = GradientCheck.check(in -> d.forward(in, Pass.training(new SplittableRandom(5))), x, List.of(), true, 24, 3);
        assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-6);
    }

    @Test
    void dropoutKeepsExpectationAndIsIdentityAtInference() {
        Dropout d = new Dropout(0.25);
        INDArray x = Nd4j.ones(DataType.FLOAT, 200, 100);
        INDArray y = d.forward(x, Pass.training(new SplittableRandom(9))).output();
        double zeros = y.eq(0).castTo(DataType.FLOAT).meanNumber().doubleValue();
        assertThat(zeros).isBetween(0.23, 0.27);
        assertThat(y.meanNumber().doubleValue()).isBetween(0.97, 1.03);
        assertThat(d.forward(x, Pass.inference()).output()).isEqualTo(x);
    }
}
