package org.crossl.aggregators;

import org.crossl.api.spi.ConfigException;

/**
 * Config of the {@code mean} aggregator.
 *
 * @param output Dz: when given, the masked mean is followed by a Dense D → output; when absent
 *               (default) there is no projection and Z is the masked mean itself (Dz = D)
 */
public record MeanConfig(Integer output) {
    public MeanConfig {
        if (output != null && output < 1) {
            throw new ConfigException("output", "must be positive, got " + output);
        }
    }

    public static MeanConfig defaults() {
        return new MeanConfig(null);
    }
}
