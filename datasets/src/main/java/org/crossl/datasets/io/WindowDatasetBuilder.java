package org.crossl.datasets.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fills the arrays of a {@link WindowDataset} of a known size on the heap (one {@code float[]} per
 * modality, time-major, channels last) and hands them to ND4J once, in {@link #build}.
 * Every window starts present (presence 1), unlabelled, subject 0.
 */
public final class WindowDatasetBuilder {
    private final List<ModalitySpec> modalities;
    private final int[] lengths;
    private final int n;
    private final float[][] data;
    private final float[] presence;
    private final int[] labels;
    private final int[] subjects;

    /**
     * @param modalities the modalities, in order
     * @param lengths    window length T_m of each modality
     * @param n          number of windows
     */
    public WindowDatasetBuilder(List<ModalitySpec> modalities, int[] lengths, int n) {
        if (lengths.length != modalities.size()) {
            throw new IllegalArgumentException(modalities.size() + " modalities but " + lengths.length + " lengths");
        }
        this.modalities = List.copyOf(modalities);
        this.lengths = lengths.clone();
        this.n = n;
        this.data = new float[modalities.size()][];
        for (int m = 0; m < data.length; m++) {
            long size = (long) n * lengths[m] * modalities.get(m).channels();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("modality '" + modalities.get(m).name() + "' needs " + size
                        + " values, more than one Java array holds; use fewer or shorter windows");
            }
            data[m] = new float[(int) size];
        }
        this.presence = new float[n * modalities.size()];
        Arrays.fill(presence, 1f);
        this.labels = new int[n];
        Arrays.fill(labels, WindowBatch.UNLABELLED);
        this.subjects = new int[n];
    }

    public int size() {
        return n;
    }

    /** The backing array of modality m, {@code [N, T_m, C_m]} in row-major order. */
    public float[] data(int m) {
        return data[m];
    }

    /** Offset of window {@code i} in {@link #data(int)} of modality m. */
    public int offset(int i, int m) {
        return i * lengths[m] * modalities.get(m).channels();
    }

    /**
     * Copies one window of modality m, {@code T_m · C_m} values of {@code src} starting at
     * {@code srcPos} (time-major, channels last), into window {@code i}.
     */
    public void copyWindow(int i, int m, float[] src, int srcPos) {
        System.arraycopy(src, srcPos, data[m], offset(i, m), lengths[m] * modalities.get(m).channels());
    }

    /** Marks modality m of window i absent and zeroes its values. */
    public void setAbsent(int i, int m) {
        presence[i * modalities.size() + m] = 0f;
        int off = offset(i, m);
        Arrays.fill(data[m], off, off + lengths[m] * modalities.get(m).channels(), 0f);
    }

    public boolean isPresent(int i, int m) {
        return presence[i * modalities.size() + m] != 0f;
    }

    public void setLabel(int i, int label) {
        labels[i] = label;
    }

    public void setSubject(int i, int subject) {
        subjects[i] = subject;
    }

    /** Creates the ND4J arrays (float32) and the dataset. */
    public WindowDataset build(List<String> classNames) {
        List<INDArray> arrays = new ArrayList<>(data.length);
        for (int m = 0; m < data.length; m++) {
            arrays.add(array(data[m], n, lengths[m], modalities.get(m).channels()));
        }
        INDArray p = n == 0 ? Nd4j.create(DataType.FLOAT, 0, modalities.size()) : Nd4j.create(presence, (long) n, modalities.size());
        return new WindowDataset(modalities, arrays, p, labels, subjects, classNames);
    }

    private static INDArray array(float[] values, int n, int t, int c) {
        if (n == 0) {
            return Nd4j.create(DataType.FLOAT, 0, t, c);
        }
        return Nd4j.create(values, (long) n, t, c);
    }

    /** Number of windows with a label. */
    public static int labelled(WindowDataset d) {
        int k = 0;
        for (int l : d.labels()) {
            if (l != WindowBatch.UNLABELLED) {
                k++;
            }
        }
        return k;
    }
}
