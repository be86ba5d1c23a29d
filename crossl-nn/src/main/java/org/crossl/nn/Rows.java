package org.crossl.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Views of channels-last arrays as 2-D row matrices, so per-channel ops become row-vector broadcasts. */
final class Rows {
    private Rows() {
    }

    /** {@code [..., C] -> [N, C]}, a view when x is c-contiguous. */
    static INDArray of(INDArray x) {
        long c = x.size(x.rank() - 1);
        INDArray xc = org.crossl.api.nn.Contiguous.rowMajor(x);
        return xc.reshape('c', x.length() / c, c);
    }
}
