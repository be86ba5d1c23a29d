package org.crossl.core.data;

import java.util.ArrayList;
import java.util.List;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.data.WindowStore;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-modality, per-channel standardisation {@code (x − μ_c)/σ_c} with statistics fitted on the
 * training split only, over the samples of windows where the modality is present. Absent modalities
 * stay zero. Saved with the model so new data is scaled the same way.
 *
 * @param modalities names, in order
 * @param mean       per modality, per channel μ
 * @param std        per modality, per channel σ (population; channels with σ < 1e-8 use σ = 1)
 */
public record Normalizer(List<String> modalities, double[][] mean, double[][] std) {

    public static Normalizer fit(WindowDataset train) {
        return Sums.of(train).normalizer();
    }

    /**
     * Per-modality, per-channel sums of the samples of present windows, in double precision: what
     * {@link #fit} needs, computed where the windows are (one part of the training split at a time,
     * on several machines) and {@linkplain #plus added}.
     *
     * @param sum   per modality, per channel Σx
     * @param sumSq per modality, per channel Σx²
     * @param count per modality, the samples summed (window length × present windows)
     */
    public record Sums(List<String> modalities, double[][] sum, double[][] sumSq, long[] count) implements java.io.Serializable {
        /** The sums over every present window of {@code data}, read window by window (a memory-mapped dataset is never read whole). */
        public static Sums of(WindowDataset data) {
            return of(data, null);
        }

        /** The sums over the present windows among {@code windows} (indices into {@code data}; null: all of them). */
        public static Sums of(WindowDataset data, int[] windows) {
            List<String> names = new ArrayList<>();
            int m = data.modalities().size();
            double[][] sum = new double[m][];
            double[][] sumSq = new double[m][];
            long[] count = new long[m];
            float[] presence = data.size() == 0 ? new float[0] : data.presence().castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int j = 0; j < m; j++) {
                ModalitySpec spec = data.modalities().get(j);
                names.add(spec.name());
                int c = spec.channels();
                WindowStore x = data.store(j);
                int w = x.length() * c;
                sum[j] = new double[c];
                sumSq[j] = new double[c];
                float[] buf = new float[w];
                int n = windows == null ? data.size() : windows.length;
                for (int r = 0; r < n; r++) {
                    int i = windows == null ? r : windows[r];
                    if (presence[i * m + j] == 0f) {
                        continue;
                    }
                    x.read(i, buf, 0);
                    for (int k = 0; k < w; k++) {
                        double v = buf[k];
                        sum[j][k % c] += v;
                        sumSq[j][k % c] += v * v;
                    }
                    count[j] += x.length();
                }
            }
            return new Sums(names, sum, sumSq, count);
        }

        /** The sums over both parts. */
        public Sums plus(Sums o) {
            if (!modalities.equals(o.modalities)) {
                throw new IllegalArgumentException("cannot add normaliser sums of modalities " + o.modalities + " to " + modalities);
            }
            int m = modalities.size();
            double[][] s = new double[m][];
            double[][] q = new double[m][];
            long[] n = new long[m];
            for (int j = 0; j < m; j++) {
                s[j] = sum[j].clone();
                q[j] = sumSq[j].clone();
                for (int k = 0; k < s[j].length; k++) {
                    s[j][k] += o.sum[j][k];
                    q[j][k] += o.sumSq[j][k];
                }
                n[j] = count[j] + o.count[j];
            }
            return new Sums(modalities, s, q, n);
        }

        /** μ = Σx/n and the population σ = sqrt(Σx²/n − μ²) (σ < 1e-8 and modalities never present: σ = 1). */
        public Normalizer normalizer() {
            int m = modalities.size();
            double[][] mean = new double[m][];
            double[][] std = new double[m][];
            for (int j = 0; j < m; j++) {
                int c = sum[j].length;
                mean[j] = new double[c];
                std[j] = new double[c];
                if (count[j] == 0) {
                    java.util.Arrays.fill(std[j], 1);
                    continue;
                }
                for (int k = 0; k < c; k++) {
                    double mu = sum[j][k] / count[j];
                    double var = Math.max(0, sumSq[j][k] / count[j] - mu * mu);
                    double sd = Math.sqrt(var);
                    mean[j][k] = mu;
                    std[j][k] = sd < 1e-8 ? 1 : sd;
                }
            }
            return new Normalizer(modalities, mean, std);
        }
    }

    /**
     * {@code data} scaled (same windows, labels, subjects): a scaled copy when the windows are in
     * memory, a view that scales each batch as it is read when they are memory-mapped.
     */
    public WindowDataset apply(WindowDataset data) {
        List<String> names = data.modalities().stream().map(ModalitySpec::name).toList();
        if (!names.equals(modalities)) {
            throw new IllegalArgumentException("normaliser was fitted on modalities " + modalities + " but the data has " + names);
        }
        if (!data.inMemory()) {
            float[] presence = data.size() == 0 ? new float[0] : data.presence().castTo(DataType.FLOAT).dup('c').data().asFloat();
            List<WindowStore> stores = new ArrayList<>();
            for (int j = 0; j < names.size(); j++) {
                stores.add(new ScaledStore(data.store(j), mean[j], std[j], presence, j, names.size()));
            }
            return WindowDataset.ofStores(data.modalities(), stores, data.presence(), data.labels(), data.subjects(), data.classNames());
        }
        float[] presence = data.size() == 0 ? new float[0] : data.presence().castTo(DataType.FLOAT).dup('c').data().asFloat();
        List<INDArray> scaled = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            INDArray x = data.data(j);
            if (x.dataType() == DataType.DOUBLE) { // the float64 reference path: the same formula in double
                INDArray rows = x.dup('c').reshape('c', x.length() / x.size(2), x.size(2));
                rows.subiRowVector(Nd4j.createFromArray(mean[j])).diviRowVector(Nd4j.createFromArray(std[j]));
                INDArray out = rows.reshape('c', x.shape());
                out.muli(data.presence().getColumn(j).castTo(DataType.DOUBLE).reshape(-1, 1, 1).broadcast(out.shape()));
                scaled.add(out);
                continue;
            }
            // float32: element by element exactly as ScaledStore reads mapped windows, so that a run gives the
            // same numbers whether its data came from the window cache (mapped) or straight from the reader
            float[] v = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
            int w = (int) (x.length() / Math.max(1, x.size(0)));
            for (int i = 0; i < data.size(); i++) {
                scale(v, i * w, w, mean[j], std[j], presence[i * names.size() + j] != 0f);
            }
            scaled.add(Nd4j.create(v, x.shape(), 'c'));
        }
        return new WindowDataset(data.modalities(), scaled, data.presence(), data.labels(), data.subjects(), data.classNames());
    }

    /** {@code (x − μ)/σ} in double, rounded once to float, over one window of {@code w} values at {@code offset}; +0 when absent. */
    private static void scale(float[] v, int offset, int w, double[] mu, double[] sd, boolean present) {
        if (!present) {
            java.util.Arrays.fill(v, offset, offset + w, 0f);
            return;
        }
        int c = mu.length;
        for (int k = 0; k < w; k++) {
            v[offset + k] = (float) ((v[offset + k] - mu[k % c]) / sd[k % c]);
        }
    }

    /** A store read through {@code (x − μ)/σ}, zero where the modality is absent. */
    private record ScaledStore(WindowStore base, double[] mu, double[] sd, float[] presence, int modality, int modalities)
            implements WindowStore {
        @Override
        public int windows() {
            return base.windows();
        }

        @Override
        public int length() {
            return base.length();
        }

        @Override
        public int channels() {
            return base.channels();
        }

        @Override
        public void read(int i, float[] dst, int offset) {
            int c = channels();
            int w = length() * c;
            if (presence[i * modalities + modality] == 0f) {
                java.util.Arrays.fill(dst, offset, offset + w, 0f);
                return;
            }
            base.read(i, dst, offset);
            scale(dst, offset, w, mu, sd, true);
        }

        @Override
        public boolean inMemory() {
            return false;
        }
    }
}
