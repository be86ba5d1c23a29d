package org.crossl.api.spi;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.data.ModalitySpec;

/** Builds the cross-modal {@link Aggregator}. */
public interface AggregatorProvider<C> extends Provider<C> {
    /**
     * @param modalities the M modalities, in the order of the {@code [B, M, D]} input
     * @param codeSize   D, the encoders' embedding size
     */
    Aggregator create(List<ModalitySpec> modalities, int codeSize, C config, SplittableRandom init);
}
