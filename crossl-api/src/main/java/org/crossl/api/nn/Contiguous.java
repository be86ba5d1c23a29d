package org.crossl.api.nn;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Row-major contiguity without needless copies. ND4J flags every reshape as a "view", so testing
 * {@code isView()} before handing an array to a kernel copies arrays that are already laid out
 * right; this tests the layout itself.
 */
public final class Contiguous {
    private Contiguous() {
    }

    /** True when x is row-major with default strides (its elements sit in order from {@code offset()}). */
    public static boolean isRowMajor(INDArray x) {
        return x.ordering() == 'c' && Shape.hasDefaultStridesForShape(x) && x.elementWiseStride() == 1;
    }

    /**
     * True when a kernel can address x (and a row-major copy of it) with int indices into a
     * buffer of bytes: offset and length together under 2^31 bytes. Larger arrays take the
     * ND4J-op paths.
     */
    public static boolean fitsIntIndexing(INDArray x) {
        long elements = Math.max(x.offset() + x.length(), x.data().length()); // a view's buffer is its parent's
        return elements * x.dataType().width() < Integer.MAX_VALUE;
    }

    /**
     * The array's memory as a native-order float buffer, indexed from the buffer's start: element
     * i of a row-major x sits at {@code offset() + i}. For Java kernels over float32 arrays.
     */
    public static FloatBuffer floatBuffer(INDArray x) {
        return x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** x itself when {@link #isRowMajor}, else a row-major copy. */
    public static INDArray rowMajor(INDArray x) {
        return isRowMajor(x) ? x : x.dup('c');
    }
}
