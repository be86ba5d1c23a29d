package org.crossl.losses;

import org.crossl.api.SSLObjective;
import org.crossl.api.spi.ObjectiveProvider;

/** Provides the {@code vicreg} objective ({@link VicRegObjective}) configured by {@link VicRegConfig}. */
public final class VicRegProvider implements ObjectiveProvider<VicRegConfig> {

    /** The name used as {@code type: vicreg} in configs. */
    public static final String NAME = "vicreg";

    public VicRegProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<VicRegConfig> configType() {
        return VicRegConfig.class;
    }

    @Override
    public String description() {
        return "VICReg (invariance, variance, covariance) as the CroSSL reference computes it; presets reference 10/10/100, paper 25/25/1";
    }

    /** @param config the bound section, or {@code null} for {@link VicRegConfig#defaults()} */
    @Override
    public SSLObjective create(VicRegConfig config) {
        return new VicRegObjective(config == null ? VicRegConfig.defaults() : config);
    }
}
