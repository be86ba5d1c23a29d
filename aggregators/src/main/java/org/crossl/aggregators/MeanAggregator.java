package org.crossl.aggregators;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.MaskedMeanPool;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Masked mean over the visible modalities, optionally projected:
 * {@code Z[b] = Dense( (1/|V_b|) Σ_{m ∈ V_b} E[b, m] )} with {@code V_b = {m : visible[b, m] = 1}}.
 * Without {@code output} there is no Dense and {@code Z [B, D]} is the mean itself (no parameters).
 *
 * <p>Backward: {@code dE[b, m] = dMean[b] / |V_b|} for visible m and exactly 0 for the others.
 * Invisible embeddings are never read, so their values cannot change Z. A sample with no visible
 * modality is an {@link IllegalArgumentException}.
 */
public final class MeanAggregator implements Aggregator {
    private final int modalities;
    private final int codeSize;
    private final Dense projection; // null: Z is the mean

    public MeanAggregator(int modalities, int codeSize, MeanConfig config, DataType type, SplittableRandom init) {
        if (modalities < 1 || codeSize < 1) {
            throw new IllegalArgumentException("mean aggregator needs M >= 1 and D >= 1, got M = " + modalities + ", D = " + codeSize);
        }
        this.modalities = modalities;
        this.codeSize = codeSize;
        this.projection = config.output() == null ? null : new Dense("output", codeSize, config.output(), type, init);
    }

    @Override
    public int outputSize() {
        return projection == null ? codeSize : projection.out();
    }

    @Override
    public Forward aggregate(INDArray embeddings, INDArray visible, Pass pass) {
        if (embeddings.rank() != 3 || embeddings.size(1) != modalities || embeddings.size(2) != codeSize) {
            throw new IllegalArgumentException("mean aggregator expects [B, " + modalities + ", " + codeSize + "], got "
                    + java.util.Arrays.toString(embeddings.shape()));
        }
        Visibility vis = Visibility.of(visible, embeddings.size(0), modalities, "mean aggregator");
        // the library's one masked mean; hidden rows are zeroed first, so even a non-finite hidden value is never read
        Forward mean = MaskedMeanPool.forward(vis.scatter(vis.gather(embeddings)), visible); // [B, D]
        Forward proj = projection == null ? null : projection.forward(mean.output(), pass);
        INDArray z = proj == null ? mean.output() : proj.output();
        // gathered and scattered back: hidden modalities get an exact zero even from a non-finite upstream gradient
        return Forward.of(z, g -> vis.scatter(vis.gather(mean.backward(proj == null ? g : proj.backward(g)))));
    }

    @Override
    public List<Parameter> parameters() {
        return projection == null ? List.of() : projection.parameters();
    }
}
