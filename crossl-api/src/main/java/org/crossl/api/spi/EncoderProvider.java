package org.crossl.api.spi;

import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;

/** Builds an {@link Encoder} for one modality. */
public interface EncoderProvider<C> extends Provider<C> {
    /**
     * @param modality the modality (channels, sampling rate) the encoder will read
     * @param config   its bound config section
     * @param init     the random stream for weight initialisation of this encoder only
     */
    Encoder create(ModalitySpec modality, C config, SplittableRandom init);
}
