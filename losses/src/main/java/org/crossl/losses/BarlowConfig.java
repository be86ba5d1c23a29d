package org.crossl.losses;

import org.crossl.api.spi.ConfigException;

/**
 * Config section of the {@code barlow} objective (Barlow Twins).
 *
 * <p>Keys (all optional):
 * <ul>
 *   <li>{@code lambda} λ: weight of the redundancy-reduction (off-diagonal) term, a finite number
 *       {@code >= 0}, default {@code 5e-3} (the paper's value). Some implementations use
 *       {@code λ = 1/Dz} instead (Tsai et al. 2021); set it explicitly for that (1/32 = 0.03125 for
 *       the default Dz = 32).</li>
 *   <li>{@code scale}: multiplies the whole loss (both terms and the gradients), a finite number
 *       {@code > 0}, default {@code 1} (no scaling; {@code 1/Dz} gives a per-dimension loss).</li>
 *   <li>{@code epsilon} ε: added to the biased batch variance before the square root in the
 *       standardisation, a finite number {@code > 0}, default {@code 1e-5} (PyTorch
 *       {@code BatchNorm1d}'s, which the official implementation uses for the standardisation).</li>
 * </ul>
 * A missing key arrives as {@code null} and is filled here; an invalid value throws
 * {@link ConfigException} naming the key.
 *
 * @param lambda  λ, weight of Σ_{i≠j} C_ij²
 * @param scale   factor on the whole loss
 * @param epsilon ε in {@code sqrt(var + ε)}
 */
public record BarlowConfig(Double lambda, Double scale, Double epsilon) {

    /** The paper's λ. */
    public static final double DEFAULT_LAMBDA = 5e-3;
    /** No scaling. */
    public static final double DEFAULT_SCALE = 1.0;
    /** PyTorch BatchNorm1d's ε. */
    public static final double DEFAULT_EPSILON = 1e-5;

    public BarlowConfig {
        lambda = lambda == null ? DEFAULT_LAMBDA : lambda;
        if (lambda.isNaN() || lambda.isInfinite() || lambda < 0) {
            throw new ConfigException("lambda", "must be a finite number >= 0, got " + lambda);
        }
        scale = scale == null ? DEFAULT_SCALE : scale;
        if (!(scale > 0) || scale.isInfinite()) {
            throw new ConfigException("scale", "must be a finite number > 0, got " + scale);
        }
        epsilon = epsilon == null ? DEFAULT_EPSILON : epsilon;
        if (!(epsilon > 0) || epsilon.isInfinite()) {
            throw new ConfigException("epsilon", "must be a finite number > 0, got " + epsilon);
        }
    }

    /** All defaults: λ = 5e-3, scale 1, ε = 1e-5. */
    public static BarlowConfig defaults() {
        return new BarlowConfig(null, null, null);
    }

    /** An explicit λ, other keys default. */
    public static BarlowConfig of(double lambda) {
        return new BarlowConfig(lambda, null, null);
    }
}
