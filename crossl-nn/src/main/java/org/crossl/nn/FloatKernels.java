package org.crossl.nn;

import java.nio.FloatBuffer;
import org.crossl.api.nn.Contiguous;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Helpers of the float32 Java kernels. On this model's small arrays (rows of width ≈ 32–128)
 * each native ND4J op costs more in call overhead and thread hand-off than in arithmetic, so
 * element-wise chains (LayerNorm, GELU, softmax) run as one Java loop over the arrays' memory;
 * matrix products stay in ND4J. Other types (float64 for gradient checks) use ND4J ops.
 */
final class FloatKernels {
    private FloatKernels() {
    }

    /** True when every array is float32 and addressable with int indices. */
    static boolean applies(INDArray... xs) {
        for (INDArray x : xs) {
            if (x.dataType() != DataType.FLOAT || !Contiguous.fitsIntIndexing(x)) {
                return false;
            }
        }
        return true;
    }

    /** The array's memory as a native-order float buffer, indexed from the buffer's start (add {@code offset()}). */
    static FloatBuffer buffer(INDArray x) {
        return Contiguous.floatBuffer(x);
    }

    /** A row-major copy of a (small) vector's values. */
    static float[] floats(INDArray v) {
        return v.dup('c').data().asFloat();
    }
}
