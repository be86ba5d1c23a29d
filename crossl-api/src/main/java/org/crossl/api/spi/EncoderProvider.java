package org.crossl.api.spi;

import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;
import org.nd4j.linalg.api.buffer.DataType;

/** Builds an {@link Encoder} for one modality. */
public interface EncoderProvider<C> extends Provider<C> {
    /**
     * Builds the encoder. Implement this method.
     *
     * @param modality the modality (channels, sampling rate) the encoder will read
     * @param config   its bound config section
     * @param type     the data type of its parameters and activations: {@code FLOAT} for training and
     *                 inference, {@code DOUBLE} for the conformance kit's gradient checks (never
     *                 ND4J's global default, which nothing in the library sets)
     * @param init     the random stream for weight initialisation of this encoder only
     */
    default Encoder create(ModalitySpec modality, C config, DataType type, SplittableRandom init) {
        return create(modality, config, init);
    }

    /**
     * The method before the data type was passed; plugins written for it keep loading and get
     * ND4J's default type (float32). The conformance kit asks them to implement the one above.
     *
     * @deprecated implement {@link #create(ModalitySpec, Object, DataType, SplittableRandom)}
     */
    @Deprecated
    default Encoder create(ModalitySpec modality, C config, SplittableRandom init) {
        throw new UnsupportedOperationException(getClass().getName() + " implements neither create(modality, config, type, init)"
                + " nor the older create(modality, config, init)");
    }
}
