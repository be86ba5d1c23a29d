package org.crossl.spark;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Arrays laid end to end in one float vector (row-major each), the form parameters and moments travel in. */
final class FlatState {
    private FlatState() {
    }

    static float[] flatten(List<INDArray> arrays) {
        long total = 0;
        for (INDArray a : arrays) {
            total += a.length();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the model has " + total + " values, more than one Java array holds");
        }
        float[] out = new float[(int) total];
        int off = 0;
        for (INDArray a : arrays) {
            float[] f = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
            System.arraycopy(f, 0, out, off, f.length);
            off += f.length;
        }
        return out;
    }

    /** Writes {@code flat} back into {@code targets}, in order; the lengths must match. */
    static void unflatten(float[] flat, List<INDArray> targets) {
        int off = 0;
        for (INDArray t : targets) {
            int n = (int) t.length();
            if (off + n > flat.length) {
                throw new IllegalArgumentException("the flat state holds " + flat.length + " values, fewer than the model's");
            }
            float[] part = java.util.Arrays.copyOfRange(flat, off, off + n);
            t.assign(Nd4j.create(part, t.shape(), 'c').castTo(t.dataType()));
            off += n;
        }
        if (off != flat.length) {
            throw new IllegalArgumentException("the flat state holds " + flat.length + " values, the model " + off);
        }
    }
}
