package org.crossl.losses;

import org.crossl.api.spi.ConfigException;

/**
 * Config section of the {@code simclr} objective.
 *
 * <p>Keys (all optional):
 * <ul>
 *   <li>{@code temperature} τ: divides the cosine similarities, a finite number {@code > 0},
 *       default {@code 0.1}.</li>
 * </ul>
 * A missing key arrives as {@code null} and is filled here, so after construction every component is
 * non-null and valid; an invalid value throws {@link ConfigException} naming the key.
 *
 * @param temperature τ in {@code s_ij = u_i·u_j / τ}
 */
public record SimClrConfig(Double temperature) {

    /** Default τ. */
    public static final double DEFAULT_TEMPERATURE = 0.1;

    public SimClrConfig {
        temperature = temperature == null ? DEFAULT_TEMPERATURE : temperature;
        if (!(temperature > 0) || temperature.isInfinite()) {
            throw new ConfigException("temperature", "must be a finite number > 0, got " + temperature);
        }
    }

    /** All defaults: τ = 0.1. */
    public static SimClrConfig defaults() {
        return new SimClrConfig(null);
    }

    /** An explicit temperature. */
    public static SimClrConfig of(double temperature) {
        return new SimClrConfig(temperature);
    }
}
