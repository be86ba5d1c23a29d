package org.crossl.api.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Windows held in one ND4J array {@code [N, T, C]}. */
public final class ArrayWindowStore implements WindowStore {
    /** Windows copied out of ND4J per block by {@link #read}, so sequential reads cost one copy per block. */
    private static final int BLOCK = 512;

    private final INDArray x;
    private float[] block;
    private int blockFrom = -1;
    private int blockTo = -1;

    public ArrayWindowStore(INDArray x) {
        if (x.rank() != 3) {
            throw new IllegalArgumentException("windows must be [N, T, C], got " + java.util.Arrays.toString(x.shape()));
        }
        this.x = x;
    }

    /** The array itself (not a copy). */
    public INDArray array() {
        return x;
    }

    @Override
    public int windows() {
        return (int) x.size(0);
    }

    @Override
    public int length() {
        return (int) x.size(1);
    }

    @Override
    public int channels() {
        return (int) x.size(2);
    }

    @Override
    public synchronized void read(int i, float[] dst, int offset) {
        if (i < 0 || i >= windows()) {
            throw new IndexOutOfBoundsException("window " + i + " of " + windows());
        }
        if (i < blockFrom || i >= blockTo) {
            blockFrom = i;
            blockTo = Math.min(windows(), i + BLOCK);
            block = x.get(NDArrayIndex.interval(blockFrom, blockTo), NDArrayIndex.all(), NDArrayIndex.all())
                    .castTo(DataType.FLOAT).dup('c').data().asFloat();
        }
        int w = length() * channels();
        System.arraycopy(block, (i - blockFrom) * w, dst, offset, w);
    }

    @Override
    public INDArray gather(int[] indices) {
        return WindowDataset.rows(x, indices);
    }

    @Override
    public boolean inMemory() {
        return true;
    }

    @Override
    public INDArray toArray() {
        return x;
    }

    /** A float32 {@code [n, t, c]} array over {@code values} (row-major). */
    static INDArray create(float[] values, int n, int t, int c) {
        if (n == 0) {
            return Nd4j.create(DataType.FLOAT, 0, t, c);
        }
        return Nd4j.create(values, new long[] {n, t, c}, 'c');
    }
}
