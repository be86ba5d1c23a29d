package org.crossl.aggregators;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.spi.AggregatorProvider;
import org.nd4j.linalg.api.buffer.DataType;

/** Provides the reference {@code mlp} aggregator. */
public final class MlpProvider implements AggregatorProvider<MlpConfig> {
    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public Class<MlpConfig> configType() {
        return MlpConfig.class;
    }

    @Override
    public String description() {
        return "reference CroSSL aggregator: flatten -> 64 ReLU -> 32 ReLU -> 32 -> LayerNorm";
    }

    @Override
    public Aggregator create(List<ModalitySpec> modalities, int codeSize, MlpConfig config, DataType type, SplittableRandom init) {
        return new MlpAggregator(modalities.size(), codeSize, config, type, init);
    }
}
