package org.crossl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Pass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused float32 kernel against the three layers it replaces (LayerNorm → PReLU → dropout
 * multiplier), run as ND4J ops in float64 on the same parameters, input and mask.
 */
class NormActDropoutTest {

    static double relErr(INDArray a, INDArray b) {
        INDArray x = a.castTo(DataType.DOUBLE);
        INDArray y = b.castTo(DataType.DOUBLE);
        return x.sub(y).norm2Number().doubleValue() / Math.max(1e-12, y.norm2Number().doubleValue());
    }

    @Test
    void theTestsRunTheVectorKernel() {
        // surefire starts the JVM with --add-modules jdk.incubator.vector, as ./crossl does
        assertThat(NormActDropout.VECTOR_API).isTrue();
    }

    /** Both kernels: Vector API rows (24, 96; widths that are not a multiple of 8, 5 and 100, go to the scalar rows) and scalar rows. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"5, true", "24, true", "96, true", "100, true", "5, false", "24, false", "96, false", "100, false"})
    void matchesTheSeparateLayersInFloat64(int c, boolean vectorKernel) {
        boolean before = NormActDropout.vector;
        NormActDropout.vector = vectorKernel && NormActDropout.VECTOR_API;
        try {
            matchesTheSeparateLayers(c);
        } finally {
            NormActDropout.vector = before;
        }
    }

    private void matchesTheSeparateLayers(int c) {
        // big enough to run on several threads (rows x c above the parallel threshold) for c = 96
        long rows = c >= 96 ? 512 : 21;
        Nd4j.getRandom().setSeed(c);
        INDArray x = Nd4j.randn(DataType.DOUBLE, rows, c).muli(2).addi(0.5);
        DropoutBits bits = new DropoutBits(42 + c, 0.8);
        INDArray mask = bits.toMask((int) rows, c).castTo(DataType.DOUBLE);
        INDArray gOut = Nd4j.randn(DataType.DOUBLE, rows, c);
        INDArray gain = Nd4j.rand(DataType.DOUBLE, c).addi(0.5);
        INDArray shift = Nd4j.randn(DataType.DOUBLE, c).muli(0.3);
        INDArray slope = Nd4j.rand(DataType.DOUBLE, c).muli(0.4);

        NormActDropout fused = new NormActDropout("n", "p", c, 1e-3, 0, 0.2, false, DataType.FLOAT);
        fused.parameters().get(0).value().assign(gain);
        fused.parameters().get(1).value().assign(shift);
        fused.parameters().get(2).value().assign(slope);
        Forward f = fused.fused(x.castTo(DataType.FLOAT).reshape(1, rows, c), bits, true);
        // an inference-style forward keeps the input and recomputes x̂ in backward: the same gradients
        NormActDropout twin = new NormActDropout("n", "p", c, 1e-3, 0, 0.2, true, DataType.FLOAT);
        for (int i = 0; i < 3; i++) {
            twin.parameters().get(i).value().assign(fused.parameters().get(i).value());
        }
        INDArray xf = x.castTo(DataType.FLOAT).reshape(1, rows, c);
        INDArray xCopy = xf.dup();
        Forward fi = twin.fused(xf, bits, false);
        assertThat(xf).isEqualTo(xCopy);
        INDArray gxi = fi.backward(gOut.castTo(DataType.FLOAT).reshape(1, rows, c));
        INDArray gx = f.backward(gOut.castTo(DataType.FLOAT).reshape(1, rows, c));

        NormActDropout ref64 = new NormActDropout("n", "p", c, 1e-3, 0, 0.2, false, DataType.DOUBLE);
        ref64.parameters().get(0).value().assign(gain);
        ref64.parameters().get(1).value().assign(shift);
        ref64.parameters().get(2).value().assign(slope);
        LayerNorm ln = LayerNorm.ops(ref64.parameters().get(0), ref64.parameters().get(1), 1e-3);
        PReLU pr = new PReLU(ref64.parameters().get(2));
        Forward a = ln.forward(x, Pass.inference());
        Forward p = pr.forward(a.output(), Pass.inference());
        INDArray y = p.output().mul(mask);
        INDArray gx64 = a.backward(p.backward(gOut.mul(mask)));

        assertThat(f.output().shape()).containsExactly(1, rows, c);
        assertThat(relErr(f.output().reshape(rows, c), y)).isLessThan(1e-5);
        assertThat(relErr(gx.reshape(rows, c), gx64)).isLessThan(1e-4);
        assertThat(relErr(fi.output(), f.output())).isLessThan(1e-6);
        assertThat(relErr(gxi, gx)).isLessThan(1e-5);
        assertThat(relErr(twin.parameters().get(0).grad(), fused.parameters().get(0).grad())).isLessThan(1e-5);
        for (int i = 0; i < 3; i++) {
            assertThat(relErr(fused.parameters().get(i).grad(), ref64.parameters().get(i).grad()))
                    .as(fused.parameters().get(i).name()).isLessThan(1e-4);
        }
        assertThat(fused.parameters()).extracting(q -> q.name()).containsExactly("n.gain", "n.bias", "p.slope");
    }

    /** LayerNorm in float32 runs this kernel (identity activation, no dropout): it matches the float64 ND4J layer, forward and backward. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"24, true", "100, true", "24, false"})
    void layerNormInFloat32IsThisKernel(int c, boolean vectorKernel) {
        boolean before = NormActDropout.vector;
        NormActDropout.vector = vectorKernel && NormActDropout.VECTOR_API;
        try {
            long rows = 300;
            Nd4j.getRandom().setSeed(7 + c);
            INDArray x = Nd4j.randn(DataType.DOUBLE, 3, rows / 3, c).muli(2).addi(0.5);
            INDArray gOut = Nd4j.randn(DataType.DOUBLE, 3, rows / 3, c);
            LayerNorm f32 = new LayerNorm("ln", c, 1e-5, DataType.FLOAT);
            LayerNorm f64 = new LayerNorm("ln", c, 1e-5, DataType.DOUBLE);
            INDArray gain = Nd4j.rand(DataType.DOUBLE, c).addi(0.5);
            INDArray shift = Nd4j.randn(DataType.DOUBLE, c);
            f32.parameters().get(0).value().assign(gain);
            f32.parameters().get(1).value().assign(shift);
            f64.parameters().get(0).value().assign(gain);
            f64.parameters().get(1).value().assign(shift);
            assertThat(f32.parameters()).extracting(q -> q.name()).containsExactly("ln.gain", "ln.bias");
            Forward a = f32.forward(x.castTo(DataType.FLOAT), Pass.training(new java.util.SplittableRandom(1)));
            Forward b = f64.forward(x, Pass.inference());
            assertThat(relErr(a.output().castTo(DataType.DOUBLE).reshape(rows, c), b.output().reshape(rows, c))).isLessThan(1e-5);
            INDArray ga = a.backward(gOut.castTo(DataType.FLOAT));
            INDArray gb = b.backward(gOut);
            assertThat(relErr(ga.castTo(DataType.DOUBLE).reshape(rows, c), gb.reshape(rows, c))).isLessThan(1e-4);
            for (int i = 0; i < 2; i++) {
                assertThat(relErr(f32.parameters().get(i).grad().castTo(DataType.DOUBLE), f64.parameters().get(i).grad())).isLessThan(1e-4);
            }
        } finally {
            NormActDropout.vector = before;
        }
    }

    @Test
    void dropoutBitsKeepTheRightShareAndDoNotDependOnTheThreadSplit() {
        DropoutBits bits = new DropoutBits(7, 0.9);
        int n = 2000;
        int c = 96;
        long[] whole = bits.allocate(n, c);
        bits.draw(whole, c, 0, n);
        long[] split = bits.allocate(n, c);
        bits.draw(split, c, 1000, n);
        bits.draw(split, c, 0, 1000);
        assertThat(split).containsExactly(whole);
        long kept = 0;
        for (long w : whole) {
            kept += Long.bitCount(w);
        }
        assertThat(kept / (double) (n * c)).isBetween(0.895, 0.905);
        assertThat(new DropoutBits(8, 0.9).toMask(4, 5)).isNotEqualTo(bits.toMask(4, 5));
        // rows are independent: no shift of one row reproduces the next (checked for every offset)
        DropoutBits half = new DropoutBits(11, 0.5);
        int rows = 400;
        INDArray m = half.toMask(rows, c);
        for (int shift = 0; shift < c; shift += 1) {
            long same = 0;
            long pairs = 0;
            for (int r = 0; r + 1 < rows; r++) {
                for (int k = 0; k + shift < c; k++) {
                    same += m.getFloat(r, k + shift) == m.getFloat(r + 1, k) ? 1 : 0;
                    pairs++;
                }
            }
            if (pairs > 2000) {
                assertThat(same / (double) pairs).as("shift %d", shift).isBetween(0.45, 0.55);
            }
        }
        assertThat(bits.toMask(3, 70).getFloat(2, 69)).isIn(0f, (float) (1 / 0.9));
    }

    @Test
    void inferenceHasNoDropoutAndTheInputIsKeptUnlessAllowed() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 8);
        INDArray copy = x.dup();
        NormActDropout keep = new NormActDropout("n", "p", 8, 1e-3, 0.25, 0.5, false, DataType.FLOAT);
        INDArray y1 = keep.forward(x, Pass.inference()).output();
        INDArray y2 = keep.forward(x, Pass.inference()).output();
        assertThat(y1).isEqualTo(y2);
        assertThat(x).isEqualTo(copy);
        NormActDropout over = new NormActDropout("n", "p", 8, 1e-3, 0.25, 0.0, true, DataType.FLOAT);
        assertThat(over.forward(x, Pass.inference()).output()).isEqualTo(y1);
        assertThat(x).isEqualTo(copy); // inference keeps nothing for backward: the input is only read
        assertThat(over.forward(x, Pass.training(new SplittableRandom(1))).output()).isEqualTo(y1);
        assertThat(x).isNotEqualTo(copy); // training stores x̂ over the input
        INDArray t = Nd4j.randn(DataType.FLOAT, 2, 3, 8);
        INDArray yt = keep.forward(t, Pass.training(new SplittableRandom(3))).output();
        long zeros = yt.eq(0).castTo(DataType.INT32).sumNumber().longValue();
        assertThat(zeros).isGreaterThan(0).isLessThan(48);
    }
}
