package org.crossl.losses;

import java.util.List;
import java.util.Locale;
import org.crossl.api.spi.ConfigException;

/**
 * Config section of the {@code vicreg} objective.
 *
 * <p>Keys (all optional):
 * <ul>
 *   <li>{@code preset}: {@code reference} (default; λ/μ/ν = 10/10/100, as the CroSSL reference code)
 *       or {@code paper} (25/25/1, the VICReg paper's defaults);</li>
 *   <li>{@code invariance} λ, {@code variance} μ, {@code covariance} ν: non-negative finite
 *       coefficients; each one given explicitly overrides the preset's value;</li>
 *   <li>{@code epsilon} ε: added to the variance under the square root, {@code > 0}, default
 *       {@code 1e-4}.</li>
 * </ul>
 * Missing keys arrive as {@code null} and are filled here, so after construction every component is
 * non-null and valid; invalid values throw {@link ConfigException} naming the key.
 *
 * @param invariance λ, weight of the invariance term
 * @param variance   μ, weight of the variance term
 * @param covariance ν, weight of the covariance term
 * @param epsilon    ε inside {@code sqrt(var + ε)}
 * @param preset     {@code reference} or {@code paper} (case-insensitive, stored lower case)
 */
public record VicRegConfig(Double invariance, Double variance, Double covariance, Double epsilon, String preset) {

    /** The preset of the CroSSL reference implementation: 10/10/100. */
    public static final String PRESET_REFERENCE = "reference";
    /** The VICReg paper's defaults: 25/25/1. */
    public static final String PRESET_PAPER = "paper";
    /** The known presets, default first. */
    public static final List<String> PRESETS = List.of(PRESET_REFERENCE, PRESET_PAPER);
    /** Default ε. */
    public static final double DEFAULT_EPSILON = 1e-4;

    public VicRegConfig {
        String p = preset == null ? PRESET_REFERENCE : preset.trim().toLowerCase(Locale.ROOT);
        double[] weights = switch (p) {
            case PRESET_REFERENCE -> new double[] {10, 10, 100};
            case PRESET_PAPER -> new double[] {25, 25, 1};
            default -> throw new ConfigException("preset", "unknown preset '" + preset + "'; known presets: " + PRESETS);
        };
        preset = p;
        invariance = coefficient("invariance", invariance, weights[0]);
        variance = coefficient("variance", variance, weights[1]);
        covariance = coefficient("covariance", covariance, weights[2]);
        epsilon = epsilon == null ? DEFAULT_EPSILON : epsilon;
        if (!(epsilon > 0) || epsilon.isInfinite()) {
            throw new ConfigException("epsilon", "must be a finite number > 0, got " + epsilon);
        }
    }

    /** All defaults: the {@code reference} preset, ε = 1e-4. */
    public static VicRegConfig defaults() {
        return new VicRegConfig(null, null, null, null, null);
    }

    /** The given preset with its coefficients and the default ε. */
    public static VicRegConfig preset(String preset) {
        return new VicRegConfig(null, null, null, null, preset);
    }

    /** Explicit coefficients and ε (the preset is irrelevant and recorded as {@code reference}). */
    public static VicRegConfig of(double invariance, double variance, double covariance, double epsilon) {
        return new VicRegConfig(invariance, variance, covariance, epsilon, null);
    }

    private static Double coefficient(String key, Double value, double presetValue) {
        if (value == null) {
            return presetValue;
        }
        if (value.isNaN() || value.isInfinite() || value < 0) {
            throw new ConfigException(key, "must be a finite number >= 0, got " + value);
        }
        return value;
    }
}
