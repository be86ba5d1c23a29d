package org.crossl.core.data;

import java.util.ArrayList;
import java.util.List;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
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
        List<String> names = new ArrayList<>();
        int m = train.modalities().size();
        double[][] mean = new double[m][];
        double[][] std = new double[m][];
        INDArray presence = train.presence();
        for (int j = 0; j < m; j++) {
            ModalitySpec spec = train.modalities().get(j);
            names.add(spec.name());
            int c = spec.channels();
            INDArray x = train.data(j).castTo(DataType.DOUBLE); // [N, T, C]
            INDArray present = presence.getColumn(j).castTo(DataType.DOUBLE).reshape(-1, 1, 1); // [N,1,1]
            double count = present.sumNumber().doubleValue() * x.size(1);
            mean[j] = new double[c];
            std[j] = new double[c];
            if (count == 0) {
                java.util.Arrays.fill(std[j], 1);
                continue;
            }
            INDArray masked = x.mul(present.broadcast(x.shape()));
            INDArray sum = masked.sum(0, 1);
            INDArray sumSq = masked.mul(masked).sum(0, 1);
            for (int k = 0; k < c; k++) {
                double mu = sum.getDouble(k) / count;
                double var = Math.max(0, sumSq.getDouble(k) / count - mu * mu);
                double sd = Math.sqrt(var);
                mean[j][k] = mu;
                std[j][k] = sd < 1e-8 ? 1 : sd;
            }
        }
        return new Normalizer(names, mean, std);
    }

    /** A scaled copy of {@code data} (same windows, labels, subjects). */
    public WindowDataset apply(WindowDataset data) {
        List<String> names = data.modalities().stream().map(ModalitySpec::name).toList();
        if (!names.equals(modalities)) {
            throw new IllegalArgumentException("normaliser was fitted on modalities " + modalities + " but the data has " + names);
        }
        List<INDArray> scaled = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            INDArray x = data.data(j);
            DataType type = x.dataType().isFPType() ? x.dataType() : DataType.FLOAT;
            INDArray mu = Nd4j.createFromArray(mean[j]).castTo(type);
            INDArray sd = Nd4j.createFromArray(std[j]).castTo(type);
            long c = x.size(2);
            INDArray rows = x.castTo(type).dup('c').reshape('c', x.length() / c, c);
            rows.subiRowVector(mu).diviRowVector(sd);
            INDArray out = rows.reshape('c', x.shape());
            INDArray present = data.presence().getColumn(j).castTo(type).reshape(-1, 1, 1);
            out.muli(present.broadcast(out.shape()));
            scaled.add(out);
        }
        return new WindowDataset(data.modalities(), scaled, data.presence(), data.labels(), data.subjects(), data.classNames());
    }
}
