package org.crossl.encoders.cnn;

import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.spi.EncoderProvider;
import org.nd4j.linalg.api.buffer.DataType;

/** Provides the reference {@code tcn} encoder. Parameters use ND4J's default floating-point type. */
public final class TcnProvider implements EncoderProvider<TcnConfig> {
    @Override
    public String name() {
        return "tcn";
    }

    @Override
    public Class<TcnConfig> configType() {
        return TcnConfig.class;
    }

    @Override
    public String description() {
        return "reference CroSSL TCN: Conv1D+LayerNorm+PReLU+dropout x3 (24/48/96 filters, kernels 24/16/8)";
    }

    @Override
    public Encoder create(ModalitySpec modality, TcnConfig config, DataType type, SplittableRandom init) {
        return new TcnEncoder(modality, config, type, init);
    }
}
