package org.crossl.losses;

import org.crossl.api.SSLObjective;
import org.crossl.api.spi.ObjectiveProvider;

/** Provides the {@code barlow} objective ({@link BarlowObjective}, Barlow Twins) configured by {@link BarlowConfig}. */
public final class BarlowProvider implements ObjectiveProvider<BarlowConfig> {

    /** The name used as {@code type: barlow} in configs. */
    public static final String NAME = "barlow";

    public BarlowProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<BarlowConfig> configType() {
        return BarlowConfig.class;
    }

    @Override
    public String description() {
        return "Barlow Twins: cross-correlation of the batch-standardised views pushed to the identity (lambda 5e-3 on the off-diagonal)";
    }

    /** @param config the bound section, or {@code null} for {@link BarlowConfig#defaults()} */
    @Override
    public SSLObjective create(BarlowConfig config) {
        return new BarlowObjective(config == null ? BarlowConfig.defaults() : config);
    }
}
