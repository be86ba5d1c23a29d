package org.crossl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Pass;
import org.crossl.nn.onednn.Conv1dKernel;
import org.crossl.nn.onednn.OneDnn;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The float32 oneDNN 3 path against the float64 libnd4j path on the same weights: output, input
 * gradient, weight and bias gradients, for odd and even kernels, the model's channel counts, a
 * batch of several shapes in turn (the last, smaller batch of an epoch; more shapes than the cache
 * keeps) and inputs that are views at an offset into a larger array.
 */
class Conv1dOneDnnTest {
    private static final double TOLERANCE = 2e-5;

    @Test
    void oneDnnIsTheFloat32Path() {
        assertThat(OneDnn.enabled()).as(OneDnn.describe()).isTrue();
        assertThat(new Conv1d("c", 3, 4, 5, DataType.FLOAT, new SplittableRandom(0)).direct()).isTrue();
        assertThat(new Conv1d("c", 3, 4, 5, DataType.DOUBLE, new SplittableRandom(0)).direct()).isFalse();
        assertThat(OneDnn.describe()).startsWith("oneDNN 3.");
    }

    @Test
    void theSettingChoosesLibnd4jAndABadValueIsNamed() {
        try {
            System.setProperty("crossl.convolution", "libnd4j");
            assertThat(new Conv1d("c", 3, 4, 5, DataType.FLOAT, new SplittableRandom(0)).direct()).isFalse();
            assertThat(Conv1d.backend()).startsWith("libnd4j");
            System.setProperty("crossl.convolution", "onednn");
            assertThat(new Conv1d("c", 3, 4, 5, DataType.FLOAT, new SplittableRandom(0)).direct()).isTrue();
            System.setProperty("crossl.convolution", "fast");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Conv1d("c", 3, 4, 5, DataType.FLOAT, new SplittableRandom(0)))
                    .hasMessageContaining("crossl.convolution").hasMessageContaining("'fast'").hasMessageContaining("auto, onednn or libnd4j");
        } finally {
            System.clearProperty("crossl.convolution");
        }
    }

    @Test
    void matchesTheFloat64PathForwardAndBackward() {
        int[][] layers = {{3, 24, 24}, {24, 48, 16}, {48, 96, 8}, {5, 7, 1}, {5, 7, 2}, {4, 6, 3}};
        for (int[] l : layers) {
            int ci = l[0], co = l[1], k = l[2];
            Conv1d f32 = new Conv1d("c", ci, co, k, DataType.FLOAT, new SplittableRandom(k));
            Conv1d f64 = new Conv1d("c", ci, co, k, DataType.DOUBLE, new SplittableRandom(k));
            Nd4j.getRandom().setSeed(31L * k + ci);
            f64.parameters().get(1).value().assign(Nd4j.randn(DataType.DOUBLE, co).muli(0.1));
            f32.parameters().get(0).value().assign(f64.parameters().get(0).value().castTo(DataType.FLOAT));
            f32.parameters().get(1).value().assign(f64.parameters().get(1).value().castTo(DataType.FLOAT));
            // batches of 9, then a last smaller batch of 4, then 9 again: three uses of the cache
            for (int b : new int[] {9, 4, 9}) {
                compare(f32, f64, b, 37, ci, co, "layer " + ci + "->" + co + " k" + k + " batch " + b);
            }
        }
    }

    @Test
    void aLayerOnDataSkipsTheInputGradientButNotItsOwn() {
        Conv1d skip = new Conv1d("c", 3, 8, 6, DataType.FLOAT, new SplittableRandom(1), false);
        Conv1d full = new Conv1d("c", 3, 8, 6, DataType.FLOAT, new SplittableRandom(1));
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 20, 3);
        INDArray g = Nd4j.randn(DataType.FLOAT, 4, 20, 8);
        assertThat(skip.forward(x, Pass.inference()).backward(g)).isNull();
        assertThat(full.forward(x, Pass.inference()).backward(g)).isNotNull();
        assertClose(skip.parameters().get(0).grad(), full.parameters().get(0).grad(), "weight gradient");
        assertClose(skip.parameters().get(1).grad(), full.parameters().get(1).grad(), "bias gradient");
    }

    @Test
    void moreShapesThanTheCacheKeepsStillGiveTheSameResults() {
        Conv1d f32 = new Conv1d("c", 3, 5, 4, DataType.FLOAT, new SplittableRandom(2));
        Conv1d f64 = new Conv1d("c", 3, 5, 4, DataType.DOUBLE, new SplittableRandom(2));
        f32.parameters().get(0).value().assign(f64.parameters().get(0).value().castTo(DataType.FLOAT));
        for (int round = 0; round < 2; round++) {
            for (int b = 1; b <= Conv1dKernel.CACHE_SHAPES + 3; b++) {
                compare(f32, f64, b, 11 + round, 3, 5, "batch " + b + " round " + round);
            }
        }
    }

    /**
     * Primitives built on one thread and run on others (a Spark executor's task threads): with
     * oneDNN's default thread-local scratchpad this crashed in im2col; each call now passes its own
     * thread's scratchpad.
     */
    @Test
    void primitivesBuiltOnOneThreadRunOnOthers() throws Exception {
        Conv1d f32 = new Conv1d("c", 24, 48, 16, DataType.FLOAT, new SplittableRandom(3));
        Conv1d f64 = new Conv1d("c", 24, 48, 16, DataType.DOUBLE, new SplittableRandom(3));
        f32.parameters().get(0).value().assign(f64.parameters().get(0).value().castTo(DataType.FLOAT));
        compare(f32, f64, 32, 64, 24, 48, "built on the test thread");
        for (int i = 0; i < 3; i++) {
            int round = i;
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    compare(f32, f64, 32, 64, 24, 48, "run on a new thread, round " + round);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            other.start();
            other.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
        }
    }

    private static void compare(Conv1d f32, Conv1d f64, int b, int t, int ci, int co, String what) {
        // inputs as views at an offset into a larger array, as a batch cut from a dataset is
        INDArray big = Nd4j.randn(DataType.DOUBLE, b + 3, t, ci);
        INDArray x64 = big.get(NDArrayIndex.interval(2, 2 + b), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray x32big = big.castTo(DataType.FLOAT);
        INDArray x32 = x32big.get(NDArrayIndex.interval(2, 2 + b), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray g64 = Nd4j.randn(DataType.DOUBLE, b, t, co);
        for (Conv1d c : new Conv1d[] {f32, f64}) {
            c.parameters().forEach(p -> p.grad().assign(0));
        }
        Forward y32 = f32.forward(x32, Pass.training(new SplittableRandom(0)));
        Forward y64 = f64.forward(x64, Pass.training(new SplittableRandom(0)));
        assertClose(y32.output(), y64.output(), what + ": output");
        INDArray gx32 = y32.backward(g64.castTo(DataType.FLOAT));
        INDArray gx64 = y64.backward(g64);
        assertClose(gx32, gx64, what + ": input gradient");
        assertClose(f32.parameters().get(0).grad(), f64.parameters().get(0).grad(), what + ": weight gradient");
        assertClose(f32.parameters().get(1).grad(), f64.parameters().get(1).grad(), what + ": bias gradient");
    }

    private static void assertClose(INDArray actual, INDArray expected, String what) {
        INDArray a = actual.castTo(DataType.DOUBLE);
        INDArray e = expected.castTo(DataType.DOUBLE);
        assertThat(a.shape()).as(what).containsExactly(e.shape());
        double scale = Math.max(1.0, e.amaxNumber().doubleValue());
        double err = a.sub(e).amaxNumber().doubleValue() / scale;
        assertThat(err).as(what + " (max error relative to the largest value)").isLessThan(TOLERANCE);
    }
}
