package org.crossl.aggregators;

import java.util.List;
import org.crossl.api.spi.ConfigException;

/**
 * Config of the {@code mlp} aggregator (defaults are the reference's).
 *
 * @param hidden    sizes of the ReLU hidden layers (default {@code [64, 32]})
 * @param output    Dz, the global embedding size (default 32)
 * @param layerNorm whether Z is layer-normalised (default true)
 */
public record MlpConfig(List<Integer> hidden, Integer output, Boolean layerNorm) {
    public MlpConfig {
        hidden = hidden == null ? List.of(64, 32) : List.copyOf(hidden);
        for (int h : hidden) {
            if (h < 1) {
                throw new ConfigException("hidden", "sizes must be positive, got " + hidden);
            }
        }
        if (output == null) {
            output = 32;
        }
        if (output < 1) {
            throw new ConfigException("output", "must be positive, got " + output);
        }
        if (layerNorm == null) {
            layerNorm = true;
        }
    }

    public static MlpConfig defaults() {
        return new MlpConfig(null, null, null);
    }
}
