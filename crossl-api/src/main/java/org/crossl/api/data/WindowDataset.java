package org.crossl.api.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * N windows, one {@link WindowStore} per modality (in memory, or in a memory-mapped file for data
 * larger than the heap), with presence, labels and subject ids (always in memory).
 *
 * <p>Shapes: modality m is {@code [N, T_m, C_m]}; {@code presence} is {@code [N, M]}
 * (1 = recorded, 0 = absent); {@code labels[n]} is an index into {@code classNames} or
 * {@link WindowBatch#UNLABELLED}; {@code subjects[n]} identifies who was recorded (splits are by
 * subject). Arrays are not copied: treat a dataset as immutable.
 */
public final class WindowDataset {
    private final List<ModalitySpec> modalities;
    private final List<WindowStore> stores;
    private final INDArray presence;
    private final int[] labels;
    private final int[] subjects;
    private final List<String> classNames;

    /** Windows held in ND4J arrays, {@code data.get(m)} of shape {@code [N, T_m, C_m]}. */
    public WindowDataset(List<ModalitySpec> modalities, List<INDArray> data, INDArray presence,
                         int[] labels, int[] subjects, List<String> classNames) {
        this(modalities, presence, labels, subjects, classNames, checkedStores(modalities, data, presence));
    }

    /** Windows in any {@link WindowStore}s, one per modality. */
    public static WindowDataset ofStores(List<ModalitySpec> modalities, List<? extends WindowStore> stores, INDArray presence,
                                         int[] labels, int[] subjects, List<String> classNames) {
        return new WindowDataset(modalities, presence, labels, subjects, classNames, List.copyOf(stores));
    }

    private static List<WindowStore> checkedStores(List<ModalitySpec> modalities, List<INDArray> data, INDArray presence) {
        int n = (int) presence.size(0);
        if (data.size() != modalities.size()) {
            throw new IllegalArgumentException(modalities.size() + " modalities but " + data.size() + " arrays");
        }
        List<WindowStore> out = new ArrayList<>(data.size());
        for (int m = 0; m < data.size(); m++) {
            INDArray x = data.get(m);
            if (x.rank() != 3 || x.size(0) != n || x.size(2) != modalities.get(m).channels()) {
                throw new IllegalArgumentException("modality '" + modalities.get(m).name() + "' must be [" + n + ", T, "
                        + modalities.get(m).channels() + "], got " + Arrays.toString(x.shape()));
            }
            out.add(new ArrayWindowStore(x));
        }
        return out;
    }

    private WindowDataset(List<ModalitySpec> modalities, INDArray presence, int[] labels, int[] subjects,
                          List<String> classNames, List<WindowStore> stores) {
        this.modalities = List.copyOf(modalities);
        this.stores = stores;
        this.presence = Objects.requireNonNull(presence, "presence");
        this.classNames = List.copyOf(classNames);
        int n = (int) presence.size(0);
        if (presence.rank() != 2 || presence.size(1) != modalities.size()) {
            throw new IllegalArgumentException("presence must be [N, " + modalities.size() + "], got " + Arrays.toString(presence.shape()));
        }
        if (stores.size() != modalities.size()) {
            throw new IllegalArgumentException(modalities.size() + " modalities but " + stores.size() + " stores");
        }
        for (int m = 0; m < stores.size(); m++) {
            WindowStore x = stores.get(m);
            if (x.windows() != n || x.channels() != modalities.get(m).channels()) {
                throw new IllegalArgumentException("modality '" + modalities.get(m).name() + "' must be [" + n + ", T, "
                        + modalities.get(m).channels() + "], got [" + x.windows() + ", " + x.length() + ", " + x.channels() + "]");
            }
        }
        this.labels = labels == null ? filled(n, WindowBatch.UNLABELLED) : labels.clone();
        this.subjects = subjects == null ? filled(n, 0) : subjects.clone();
        if (this.labels.length != n || this.subjects.length != n) {
            throw new IllegalArgumentException("labels and subjects must have one entry per window (" + n + ")");
        }
        for (int label : this.labels) {
            if (label != WindowBatch.UNLABELLED && (label < 0 || label >= this.classNames.size())) {
                throw new IllegalArgumentException("label " + label + " outside the " + this.classNames.size() + " classes");
            }
        }
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    public int size() {
        return (int) presence.size(0);
    }

    public List<ModalitySpec> modalities() {
        return modalities;
    }

    /**
     * The array of modality m, {@code [N, T_m, C_m]}. For a file-backed store this reads every
     * window into memory: prefer {@link #batch} and {@link #store}.
     */
    public INDArray data(int m) {
        return stores.get(m).toArray();
    }

    /** The store of modality m. */
    public WindowStore store(int m) {
        return stores.get(m);
    }

    /** True when every modality's windows are in memory (none memory-mapped from a file). */
    public boolean inMemory() {
        return stores.stream().allMatch(WindowStore::inMemory);
    }

    /** {@code [N, M]}, 1 where the modality was recorded. */
    public INDArray presence() {
        return presence;
    }

    public int[] labels() {
        return labels.clone();
    }

    public int label(int n) {
        return labels[n];
    }

    public int[] subjects() {
        return subjects.clone();
    }

    public List<String> classNames() {
        return classNames;
    }

    /** Window length T_m of modality m. */
    public int length(int m) {
        return stores.get(m).length();
    }

    /** Windows {@code indices}, in that order, as a batch. */
    public WindowBatch batch(int[] indices) {
        WindowDataset s = subset(indices);
        List<INDArray> parts = new ArrayList<>(stores.size());
        for (WindowStore x : s.stores) {
            parts.add(x.toArray());
        }
        return new WindowBatch(modalities, parts, s.presence, s.labels);
    }

    /** A new in-memory dataset holding copies of the windows at {@code indices}, in that order. */
    public WindowDataset subset(int[] indices) {
        List<INDArray> parts = new ArrayList<>(stores.size());
        for (WindowStore x : stores) {
            parts.add(x.gather(indices));
        }
        int[] l = new int[indices.length];
        int[] s = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            l[i] = labels[indices[i]];
            s[i] = subjects[indices[i]];
        }
        return new WindowDataset(modalities, parts, rows(presence, indices), l, s, classNames);
    }

    /** Copies rows {@code indices} of the first axis of x. */
    public static INDArray rows(INDArray x, int[] indices) {
        long[] shape = x.shape().clone();
        long rowLen = 1;
        for (int d = 1; d < shape.length; d++) {
            rowLen *= shape[d];
        }
        INDArray flat = x.reshape('c', shape[0], rowLen);
        if (indices.length == 0) {
            shape[0] = 0;
            return Nd4j.create(x.dataType(), shape);
        }
        INDArray out = Nd4j.pullRows(flat, 1, indices);
        shape[0] = indices.length;
        return out.reshape('c', shape);
    }

    @Override
    public String toString() {
        return "WindowDataset[" + size() + " windows, modalities " + modalities.stream().map(ModalitySpec::name).toList() + "]";
    }
}
