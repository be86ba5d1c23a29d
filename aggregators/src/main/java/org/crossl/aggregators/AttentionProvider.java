package org.crossl.aggregators;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.spi.AggregatorProvider;
import org.nd4j.linalg.api.buffer.DataType;

/** Provides the {@code attention} aggregator: a small transformer over the visible modality tokens. */
public final class AttentionProvider implements AggregatorProvider<AttentionConfig> {
    @Override
    public String name() {
        return "attention";
    }

    @Override
    public Class<AttentionConfig> configType() {
        return AttentionConfig.class;
    }

    @Override
    public String description() {
        return "transformer over the visible modality tokens (modality embeddings, masked self-attention, masked mean, LayerNorm, Dense)";
    }

    @Override
    public Aggregator create(List<ModalitySpec> modalities, int codeSize, AttentionConfig config, DataType type, SplittableRandom init) {
        return new AttentionAggregator(modalities.size(), codeSize, config == null ? AttentionConfig.defaults() : config,
                type, init);
    }
}
