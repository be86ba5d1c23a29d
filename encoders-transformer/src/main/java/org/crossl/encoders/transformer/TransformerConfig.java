package org.crossl.encoders.transformer;

import org.crossl.api.spi.ConfigException;

/**
 * Config of the {@code transformer} encoder. Every key is optional.
 *
 * @param codeSize         D, the size of each latent vector (default 96, as the {@code tcn} encoder's,
 *                         so the two can be mixed per modality under one aggregator)
 * @param width            the model width W of the token vectors inside the blocks (default 64)
 * @param depth            number of pre-norm transformer blocks (default 2)
 * @param heads            attention heads per block; W must be divisible by it (default 4)
 * @param patchLength      P, samples per patch; patches do not overlap (default 8)
 * @param mlpRatio         hidden size of each block's MLP as a multiple of W (default 2)
 * @param dropout          rate of the dropout on both residual branches, training only (default 0.1)
 * @param layerNormEpsilon ε of every LayerNorm (default 1e-5, PyTorch's)
 */
public record TransformerConfig(Integer codeSize, Integer width, Integer depth, Integer heads, Integer patchLength,
                                Integer mlpRatio, Double dropout, Double layerNormEpsilon) {

    public TransformerConfig {
        codeSize = positive("codeSize", codeSize, 96);
        width = positive("width", width, 64);
        depth = positive("depth", depth, 2);
        heads = positive("heads", heads, 4);
        patchLength = positive("patchLength", patchLength, 8);
        mlpRatio = positive("mlpRatio", mlpRatio, 2);
        if (width % heads != 0) {
            throw new ConfigException("heads", "width " + width + " must be divisible by the number of heads, got " + heads);
        }
        if (dropout == null) {
            dropout = 0.1;
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ConfigException("dropout", "must be in [0, 1), got " + dropout);
        }
        if (layerNormEpsilon == null) {
            layerNormEpsilon = 1e-5;
        }
        if (!(layerNormEpsilon > 0) || Double.isInfinite(layerNormEpsilon)) {
            throw new ConfigException("layerNormEpsilon", "must be positive, got " + layerNormEpsilon);
        }
    }

    /** All defaults. */
    public static TransformerConfig defaults() {
        return new TransformerConfig(null, null, null, null, null, null, null, null);
    }

    /** The size of one head, W / heads. */
    public int headSize() {
        return width / heads;
    }

    private static int positive(String key, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new ConfigException(key, "must be at least 1, got " + value);
        }
        return value;
    }
}
