package org.crossl.aggregators;

import org.crossl.api.spi.ConfigException;

/**
 * Config of the {@code attention} aggregator. Missing keys arrive as {@code null} and get their
 * defaults; invalid values throw {@link ConfigException} naming the key. Whether {@code heads}
 * divides the width is checked when the aggregator is built (the default width is the encoders'
 * code size D, unknown here).
 *
 * @param width    token width W inside the transformer (default: D, no input projection)
 * @param depth    number of pre-norm transformer blocks (default 1; 0 = no block, pooling only)
 * @param heads    attention heads; must divide W (default 4)
 * @param mlpRatio hidden width of each block's MLP as a multiple of W (default 2)
 * @param dropout  dropout rate on both residual branches of each block, in [0, 1) (default 0.1)
 * @param output   Dz, the size of Z (default 32, the {@code mlp} aggregator's)
 */
public record AttentionConfig(Integer width, Integer depth, Integer heads, Integer mlpRatio, Double dropout, Integer output) {

    public static final int DEFAULT_DEPTH = 1;
    public static final int DEFAULT_HEADS = 4;
    public static final int DEFAULT_MLP_RATIO = 2;
    public static final double DEFAULT_DROPOUT = 0.1;
    public static final int DEFAULT_OUTPUT = 32;

    public AttentionConfig {
        if (width != null && width < 1) {
            throw new ConfigException("width", "must be positive, got " + width);
        }
        depth = depth == null ? DEFAULT_DEPTH : depth;
        if (depth < 0) {
            throw new ConfigException("depth", "must be >= 0, got " + depth);
        }
        heads = heads == null ? DEFAULT_HEADS : heads;
        if (heads < 1) {
            throw new ConfigException("heads", "must be positive, got " + heads);
        }
        if (width != null && width % heads != 0) {
            throw new ConfigException("heads", "must divide width " + width + ", got " + heads);
        }
        mlpRatio = mlpRatio == null ? DEFAULT_MLP_RATIO : mlpRatio;
        if (mlpRatio < 1) {
            throw new ConfigException("mlpRatio", "must be positive, got " + mlpRatio);
        }
        dropout = dropout == null ? DEFAULT_DROPOUT : dropout;
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ConfigException("dropout", "must be in [0, 1), got " + dropout);
        }
        output = output == null ? DEFAULT_OUTPUT : output;
        if (output < 1) {
            throw new ConfigException("output", "must be positive, got " + output);
        }
    }

    public static AttentionConfig defaults() {
        return new AttentionConfig(null, null, null, null, null, null);
    }

    /** The token width for encoders of code size D. */
    int widthFor(int codeSize) {
        int w = width == null ? codeSize : width;
        if (w % heads != 0) {
            throw new ConfigException("heads", "must divide the token width " + w
                    + (width == null ? " (the encoders' code size; set width to change it)" : "") + ", got " + heads);
        }
        return w;
    }
}
