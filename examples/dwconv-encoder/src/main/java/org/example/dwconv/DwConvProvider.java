package org.example.dwconv;

import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.spi.EncoderProvider;
import org.nd4j.linalg.api.buffer.DataType;

/** Registers the {@code dwconv} encoder (META-INF/services and module-info both name this class). */
public final class DwConvProvider implements EncoderProvider<DwConvConfig> {
    @Override
    public String name() {
        return "dwconv";
    }

    @Override
    public Class<DwConvConfig> configType() {
        return DwConvConfig.class;
    }

    @Override
    public String description() {
        return "example plugin: depthwise-separable CNN (depthwise conv, pointwise dense, ReLU per block)";
    }

    @Override
    public Encoder create(ModalitySpec modality, DwConvConfig config, DataType type, SplittableRandom init) {
        // parameters in the type the library asks for: float32 in training, float64 in the kit's gradient check
        return new DwConvEncoder(modality, config, type, init);
    }
}
