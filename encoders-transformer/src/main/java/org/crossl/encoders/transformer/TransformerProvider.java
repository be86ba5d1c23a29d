package org.crossl.encoders.transformer;

import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.spi.EncoderProvider;
import org.nd4j.linalg.api.buffer.DataType;

/** Provides the {@code transformer} encoder. Parameters use ND4J's default floating-point type. */
public final class TransformerProvider implements EncoderProvider<TransformerConfig> {
    @Override
    public String name() {
        return "transformer";
    }

    @Override
    public Class<TransformerConfig> configType() {
        return TransformerConfig.class;
    }

    @Override
    public String description() {
        return "patch transformer: patches -> Dense + sinusoidal positions -> pre-norm MHA/GELU-MLP blocks -> LN -> Dense (64 wide, 2 blocks, 4 heads, patch 8)";
    }

    @Override
    public Encoder create(ModalitySpec modality, TransformerConfig config, DataType type, SplittableRandom init) {
        return new TransformerEncoder(modality, config, type, init);
    }
}
