package org.crossl.core.config;

import org.crossl.api.spi.ConfigException;

/**
 * The {@code optimizer:} section. Adam (Kingma & Ba 2015) with Keras' defaults, as the reference.
 *
 * @param type         only {@code adam} for now
 * @param learningRate default 1e-4 (reference)
 * @param beta1        default 0.9
 * @param beta2        default 0.999
 * @param epsilon      default 1e-7 (Keras)
 * @param l2           L2 penalty {@code l2·Σw²} on weights marked for decay (convolution kernels),
 *                     default 1e-4 (reference); its gradient {@code 2·l2·w} is added, its value is
 *                     not counted in the reported loss
 */
public record OptimizerConfig(String type, Double learningRate, Double beta1, Double beta2, Double epsilon, Double l2) {
    public OptimizerConfig {
        if (type == null) {
            type = "adam";
        }
        if (!type.equals("adam")) {
            throw new ConfigException("type", "unknown optimizer '" + type + "'; known: adam");
        }
        learningRate = positive("learningRate", learningRate, 1e-4);
        beta1 = unit("beta1", beta1, 0.9);
        beta2 = unit("beta2", beta2, 0.999);
        epsilon = positive("epsilon", epsilon, 1e-7);
        if (l2 == null) {
            l2 = 1e-4;
        }
        if (!(l2 >= 0) || l2.isInfinite()) {
            throw new ConfigException("l2", "must be a non-negative number, got " + l2);
        }
    }

    private static double positive(String key, Double v, double dflt) {
        if (v == null) {
            return dflt;
        }
        if (!(v > 0) || v.isInfinite()) {
            throw new ConfigException(key, "must be a positive number, got " + v);
        }
        return v;
    }

    private static double unit(String key, Double v, double dflt) {
        if (v == null) {
            return dflt;
        }
        if (!(v >= 0 && v < 1)) {
            throw new ConfigException(key, "must be in [0, 1), got " + v);
        }
        return v;
    }

    public static OptimizerConfig defaults() {
        return new OptimizerConfig(null, null, null, null, null, null);
    }
}
