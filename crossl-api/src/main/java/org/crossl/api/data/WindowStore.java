package org.crossl.api.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The windows of one modality, {@code [N, T, C]} float32, readable by window index: held in memory
 * ({@link ArrayWindowStore}) or in a file mapped into memory ({@link MappedWindowStore}) so that a
 * dataset larger than the heap is read window by window, batch by batch.
 */
public interface WindowStore {

    /** Number of windows N. */
    int windows();

    /** Samples per window T. */
    int length();

    /** Channels C. */
    int channels();

    /** Copies window {@code i}, {@code T·C} values time-major, into {@code dst[offset…]}. */
    void read(int i, float[] dst, int offset);

    /** Windows {@code indices}, in that order, as a new {@code [k, T, C]} float32 array. */
    default INDArray gather(int[] indices) {
        int w = length() * channels();
        float[] values = new float[Math.multiplyExact(indices.length, w)];
        for (int k = 0; k < indices.length; k++) {
            read(indices[k], values, k * w);
        }
        return ArrayWindowStore.create(values, indices.length, length(), channels());
    }

    /** True when the windows are on the heap or in ND4J memory rather than in a file. */
    boolean inMemory();

    /** Every window as one {@code [N, T, C]} array; for a file-backed store this reads the whole file into memory. */
    default INDArray toArray() {
        int[] all = new int[windows()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return gather(all);
    }
}
