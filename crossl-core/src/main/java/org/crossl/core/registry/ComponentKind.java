package org.crossl.core.registry;

import org.crossl.api.spi.AggregatorProvider;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.api.spi.EncoderProvider;
import org.crossl.api.spi.MaskerProvider;
import org.crossl.api.spi.ObjectiveProvider;
import org.crossl.api.spi.Provider;

/** The kinds of pluggable component, each with its provider interface. */
public enum ComponentKind {
    ENCODER("encoder", EncoderProvider.class),
    MASKER("masker", MaskerProvider.class),
    AGGREGATOR("aggregator", AggregatorProvider.class),
    OBJECTIVE("objective", ObjectiveProvider.class),
    DATASET("dataset", DatasetProvider.class);

    private final String label;
    private final Class<? extends Provider> providerType;

    ComponentKind(String label, Class<? extends Provider> providerType) {
        this.label = label;
        this.providerType = providerType;
    }

    /** Singular, lower case: {@code encoder}. */
    public String label() {
        return label;
    }

    @SuppressWarnings("rawtypes")
    public Class<? extends Provider> providerType() {
        return providerType;
    }
}
