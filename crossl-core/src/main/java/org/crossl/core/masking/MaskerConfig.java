package org.crossl.core.masking;

import org.crossl.api.spi.ConfigException;

/**
 * Config shared by the built-in maskers.
 *
 * @param ratio    the fraction hidden (not kept), in [0, 1); default 0.5
 * @param mode     {@code bernoulli} (default) or {@code exact}
 * @param segments temporal masker only: the number of equal segments the window's relative time
 *                 axis is cut into (default 8); spans are whole segments
 */
public record MaskerConfig(Double ratio, MaskMode mode, Integer segments) {
    public MaskerConfig {
        if (ratio == null) {
            ratio = 0.5;
        }
        if (!(ratio >= 0 && ratio < 1)) {
            throw new ConfigException("ratio", "is the fraction hidden and must be in [0, 1), got " + ratio);
        }
        if (mode == null) {
            mode = MaskMode.BERNOULLI;
        }
        if (segments == null) {
            segments = 8;
        }
        if (segments < 2) {
            throw new ConfigException("segments", "must be at least 2, got " + segments);
        }
    }
}
