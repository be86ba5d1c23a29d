package org.crossl.aggregators;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.spi.AggregatorProvider;
import org.nd4j.linalg.api.buffer.DataType;

/** Provides the {@code mean} aggregator: masked mean over the visible modalities, optional Dense. */
public final class MeanProvider implements AggregatorProvider<MeanConfig> {
    @Override
    public String name() {
        return "mean";
    }

    @Override
    public Class<MeanConfig> configType() {
        return MeanConfig.class;
    }

    @Override
    public String description() {
        return "mean of the visible modalities' embeddings (hidden ones ignored), optional Dense to 'output'";
    }

    @Override
    public Aggregator create(List<ModalitySpec> modalities, int codeSize, MeanConfig config, DataType type, SplittableRandom init) {
        return new MeanAggregator(modalities.size(), codeSize, config == null ? MeanConfig.defaults() : config,
                type, init);
    }
}
