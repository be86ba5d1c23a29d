package org.crossl.nn;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Pass;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A residual connection with inverted dropout on the branch: {@code y = h + m ⊙ z}, where in training
 * each element of m is {@code 1/(1−rate)} with probability {@code 1−rate}, else 0 (m = 1 at inference).
 * Backward: {@code dh = dy}, {@code dz = m ⊙ dy}.
 *
 * <p>The mask is drawn in Java from a seed taken from the pass's random stream, the same way for every
 * data type, so a float32 pass and a float64 pass with the same seed drop the same elements. float32
 * runs one Java loop each way; other types ND4J ops.
 */
public final class ResidualDropout {
    private final double rate;

    public ResidualDropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /** @return a pass whose output is {@code h + m ⊙ z} and whose backward returns dL/dz (dL/dh is dL/dy) */
    public Forward forward(INDArray h, INDArray z, Pass pass) {
        long[] shape = h.shape();
        if (!pass.isTraining() || rate == 0) {
            return Forward.of(h.add(z.reshape('c', shape)), g -> g);
        }
        int n = (int) h.length();
        float[] mask = new float[n];
        SplittableRandom rng = new SplittableRandom(pass.random().nextLong());
        float scale = (float) (1 / (1 - rate));
        long threshold = (long) Math.floor(rate * (1L << 32)); // drop when a uniform 32-bit value is below
        for (int i = 0; i < n; i += 2) {
            long bits = rng.nextLong(); // two 32-bit draws
            mask[i] = (bits >>> 32) < threshold ? 0f : scale;
            if (i + 1 < n) {
                mask[i + 1] = (bits & 0xFFFFFFFFL) < threshold ? 0f : scale;
            }
        }
        if (!FloatKernels.applies(h, z)) {
            INDArray m = Nd4j.create(mask, shape, 'c').castTo(h.dataType());
            return Forward.of(z.reshape('c', shape).mul(m).addi(h), g -> g.mul(m));
        }
        INDArray hc = Contiguous.rowMajor(h);
        INDArray zc = Contiguous.rowMajor(z);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, shape);
        FloatBuffer hb = FloatKernels.buffer(hc);
        FloatBuffer zb = FloatKernels.buffer(zc);
        FloatBuffer yb = FloatKernels.buffer(y);
        int ho = (int) hc.offset();
        int zo = (int) zc.offset();
        int yo = (int) y.offset();
        for (int i = 0; i < n; i++) {
            yb.put(yo + i, hb.get(ho + i) + mask[i] * zb.get(zo + i));
        }
        return Forward.of(y, gradOut -> {
            INDArray g = Contiguous.rowMajor(gradOut);
            FloatBuffer gb = FloatKernels.buffer(g);
            int go = (int) g.offset();
            INDArray dz = Nd4j.createUninitialized(DataType.FLOAT, shape);
            FloatBuffer db = FloatKernels.buffer(dz);
            int dO = (int) dz.offset();
            for (int i = 0; i < n; i++) {
                db.put(dO + i, mask[i] * gb.get(go + i));
            }
            return dz;
        });
    }
}
