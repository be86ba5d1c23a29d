package org.crossl.encoders.cnn;

import java.util.List;
import org.crossl.api.spi.ConfigException;

/**
 * Config of the {@code tcn} encoder. Every key is optional; defaults are the reference's.
 *
 * @param codeSize         D, the latent size (default 96); the last width equals it
 * @param widths           filters per layer (default {@code [D/4, D/2, D]})
 * @param kernels          kernel size per layer (default {@code [24, 16, 8]})
 * @param dropout          dropout rate after each PReLU (default 0.1)
 * @param preluInit        initial PReLU slope (default 0, as Keras and the reference)
 * @param layerNormEpsilon ε of each LayerNorm (default 1e-3, Keras)
 */
public record TcnConfig(Integer codeSize, List<Integer> widths, List<Integer> kernels, Double dropout,
                        Double preluInit, Double layerNormEpsilon) {

    public TcnConfig {
        if (codeSize == null) {
            codeSize = widths == null || widths.isEmpty() ? 96 : widths.get(widths.size() - 1);
        }
        if (codeSize < 4) {
            throw new ConfigException("codeSize", "must be at least 4, got " + codeSize);
        }
        if (widths == null) {
            widths = List.of(codeSize / 4, codeSize / 2, codeSize);
        }
        if (kernels == null) {
            kernels = List.of(24, 16, 8);
        }
        widths = List.copyOf(widths);
        kernels = List.copyOf(kernels);
        if (widths.isEmpty()) {
            throw new ConfigException("widths", "needs at least one layer");
        }
        if (widths.size() != kernels.size()) {
            throw new ConfigException("kernels", "has " + kernels.size() + " entries but widths has " + widths.size() + "; give one kernel size per layer");
        }
        for (int w : widths) {
            if (w < 1) {
                throw new ConfigException("widths", "entries must be positive, got " + widths);
            }
        }
        for (int k : kernels) {
            if (k < 1) {
                throw new ConfigException("kernels", "entries must be positive, got " + kernels);
            }
        }
        if (widths.get(widths.size() - 1).intValue() != codeSize) {
            throw new ConfigException("widths", "last width " + widths.get(widths.size() - 1) + " must equal codeSize " + codeSize);
        }
        if (dropout == null) {
            dropout = 0.1;
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ConfigException("dropout", "must be in [0, 1), got " + dropout);
        }
        if (preluInit == null) {
            preluInit = 0.0;
        }
        if (layerNormEpsilon == null) {
            layerNormEpsilon = 1e-3;
        }
        if (!(layerNormEpsilon > 0)) {
            throw new ConfigException("layerNormEpsilon", "must be positive, got " + layerNormEpsilon);
        }
    }

    /** The reference configuration. */
    public static TcnConfig defaults() {
        return new TcnConfig(null, null, null, null, null, null);
    }
}
