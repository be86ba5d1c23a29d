package org.crossl.api.spi;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.data.ModalitySpec;
import org.nd4j.linalg.api.buffer.DataType;

/** Builds the cross-modal {@link Aggregator}. */
public interface AggregatorProvider<C> extends Provider<C> {
    /**
     * Builds the aggregator. Implement this method.
     *
     * @param modalities the M modalities, in the order of the {@code [B, M, D]} input
     * @param codeSize   D, the encoders' embedding size
     * @param type       the data type of its parameters and activations ({@code FLOAT}; {@code DOUBLE}
     *                   in the conformance kit's gradient checks)
     */
    default Aggregator create(List<ModalitySpec> modalities, int codeSize, C config, DataType type, SplittableRandom init) {
        return create(modalities, codeSize, config, init);
    }

    /**
     * The method before the data type was passed; plugins written for it keep loading and get
     * ND4J's default type (float32).
     *
     * @deprecated implement {@link #create(List, int, Object, DataType, SplittableRandom)}
     */
    @Deprecated
    default Aggregator create(List<ModalitySpec> modalities, int codeSize, C config, SplittableRandom init) {
        throw new UnsupportedOperationException(getClass().getName() + " implements neither create(modalities, codeSize, config, type, init)"
                + " nor the older create(modalities, codeSize, config, init)");
    }
}
