package org.crossl.losses;

import org.crossl.api.SSLObjective;
import org.crossl.api.spi.ObjectiveProvider;

/** Provides the {@code simclr} objective ({@link SimClrObjective}, NT-Xent) configured by {@link SimClrConfig}. */
public final class SimClrProvider implements ObjectiveProvider<SimClrConfig> {

    /** The name used as {@code type: simclr} in configs. */
    public static final String NAME = "simclr";

    public SimClrProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<SimClrConfig> configType() {
        return SimClrConfig.class;
    }

    @Override
    public String description() {
        return "SimCLR NT-Xent contrastive loss between the two views (cosine similarity / temperature, other windows as negatives)";
    }

    /** @param config the bound section, or {@code null} for {@link SimClrConfig#defaults()} */
    @Override
    public SSLObjective create(SimClrConfig config) {
        return new SimClrObjective(config == null ? SimClrConfig.defaults() : config);
    }
}
