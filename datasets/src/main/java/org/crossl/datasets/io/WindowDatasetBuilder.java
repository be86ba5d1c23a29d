package org.crossl.datasets.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.crossl.api.data.MappedWindowStore;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fills the windows of a {@link WindowDataset} of a known size, one window at a time (time-major,
 * channels last), and builds the dataset once, in {@link #build}. Every window starts present
 * (presence 1), unlabelled, subject 0.
 *
 * <p>Small datasets are filled on the heap (one {@code float[]} per modality, handed to ND4J in
 * one piece). When the windows would take more than {@link #spillBytes()} (default: a quarter of
 * the maximum heap; system property {@code crossl.data.spillBytes}), they are written straight
 * into a temporary file (in {@code crossl.data.spillDir}, default {@code java.io.tmpdir}) that the
 * dataset then reads memory-mapped ({@link MappedWindowStore}), so a dataset larger than the heap
 * is never held whole. The file is unlinked once mapped: nothing is left behind.
 */
public final class WindowDatasetBuilder {
    private final List<ModalitySpec> modalities;
    private final int[] lengths;
    private final int n;
    private final float[][] data;
    private final MappedWindowStore[] spilled;
    private final Path spillFile;
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
        long total = 0;
        boolean tooBigForArray = false;
        for (int m = 0; m < data.length; m++) {
            long size = (long) n * lengths[m] * modalities.get(m).channels();
            total += size * Float.BYTES;
            tooBigForArray |= size > Integer.MAX_VALUE - 8;
        }
        if (total > spillBytes() || tooBigForArray) {
            this.spillFile = createSpillFile(total);
            this.spilled = new MappedWindowStore[data.length];
            long offset = 0;
            for (int m = 0; m < data.length; m++) {
                int c = modalities.get(m).channels();
                spilled[m] = new MappedWindowStore(spillFile, offset, n, lengths[m], c, true);
                offset += (long) n * lengths[m] * c * Float.BYTES;
            }
        } else {
            this.spillFile = null;
            this.spilled = null;
            for (int m = 0; m < data.length; m++) {
                data[m] = new float[n * lengths[m] * modalities.get(m).channels()];
            }
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

    /** Windows above this many bytes go to a memory-mapped temporary file instead of the heap. */
    public static long spillBytes() {
        String p = System.getProperty("crossl.data.spillBytes");
        if (p != null && !p.isBlank()) {
            try {
                return Long.parseLong(p.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property crossl.data.spillBytes must be a number of bytes, got '" + p + "'");
            }
        }
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** True when the windows are written to a memory-mapped file rather than the heap. */
    public boolean spilled() {
        return spilled != null;
    }

    private static Path createSpillFile(long bytes) {
        String dir = System.getProperty("crossl.data.spillDir", System.getProperty("java.io.tmpdir"));
        try {
            Path d = Path.of(dir);
            Files.createDirectories(d);
            Path f = Files.createTempFile(d, "crossl-windows-", ".f32");
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(bytes); // sparse: zeros until written
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a " + bytes + "-byte temporary file for windows in " + dir
                    + " (set -Dcrossl.data.spillDir=DIR to use another disk): " + e.getMessage(), e);
        }
    }

    private int offset(int i, int m) {
        return i * lengths[m] * modalities.get(m).channels();
    }

    /**
     * Copies one window of modality m, {@code T_m · C_m} values of {@code src} starting at
     * {@code srcPos} (time-major, channels last), into window {@code i}.
     */
    public void copyWindow(int i, int m, float[] src, int srcPos) {
        if (spilled != null) {
            spilled[m].write(i, src, srcPos);
        } else {
            System.arraycopy(src, srcPos, data[m], offset(i, m), lengths[m] * modalities.get(m).channels());
        }
    }

    /** Marks modality m of window i absent and zeroes its values. */
    public void setAbsent(int i, int m) {
        presence[i * modalities.size() + m] = 0f;
        int w = lengths[m] * modalities.get(m).channels();
        if (spilled != null) {
            spilled[m].write(i, new float[w], 0);
        } else {
            int off = offset(i, m);
            Arrays.fill(data[m], off, off + w, 0f);
        }
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

    /** Creates the ND4J arrays (float32), or maps the spilled file read-only, and the dataset. */
    public WindowDataset build(List<String> classNames) {
        INDArray pres = n == 0 ? Nd4j.create(DataType.FLOAT, 0, modalities.size()) : Nd4j.create(presence, (long) n, modalities.size());
        if (spilled != null) {
            List<MappedWindowStore> stores = new ArrayList<>(data.length);
            long offset = 0;
            for (int m = 0; m < data.length; m++) {
                int c = modalities.get(m).channels();
                stores.add(new MappedWindowStore(spillFile, offset, n, lengths[m], c, false));
                offset += (long) n * lengths[m] * c * Float.BYTES;
            }
            try {
                Files.deleteIfExists(spillFile); // the mappings stay valid; the disk space returns when they are gone
            } catch (IOException e) {
                spillFile.toFile().deleteOnExit();
            }
            return WindowDataset.ofStores(modalities, stores, pres, labels, subjects, classNames);
        }
        List<INDArray> arrays = new ArrayList<>(data.length);
        for (int m = 0; m < data.length; m++) {
            arrays.add(array(data[m], n, lengths[m], modalities.get(m).channels()));
        }
        return new WindowDataset(modalities, arrays, pres, labels, subjects, classNames);
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
