package org.crossl.core.config;

import java.util.List;
import org.crossl.api.spi.ConfigException;

/**
 * The {@code projector:} section: VICReg's "expander" between the global embedding Z and the
 * self-supervised objective. With layers {@code [h1, …, hk]} the objective reads
 * {@code P(Z) = Dense(h_k−1 → h_k)(… ReLU(LN(Dense(Dz → h1)(Z))) …)}: every layer but the last is
 * Dense → LayerNorm → ReLU, the last is a plain Dense. Heads, {@code embed} and the collapse
 * monitor read Z, the layer before it (the VICReg and SimCLR papers both find the projector's
 * input the better representation). Used only in pretraining; a saved model keeps its weights.
 *
 * <p>On by default ({@code [256, 256]}): on hapt it raised the validation macro-F1 of the CroSSL
 * probe by 0.036 at 1 % and 0.033 at 10 % of the labels, on every seed (docs/decisions.md).
 *
 * @param layers output widths of the projector's layers; default {@code [256, 256]}; empty
 *               ({@code layers: []}) means none: the objective reads Z itself, as in the paper and
 *               the reference code
 */
public record ProjectorConfig(List<Integer> layers) {
    public static final List<Integer> DEFAULT_LAYERS = List.of(256, 256);

    public ProjectorConfig {
        layers = layers == null ? DEFAULT_LAYERS : List.copyOf(layers);
        for (Integer w : layers) {
            if (w == null || w < 1) {
                throw new ConfigException("layers", "widths must be positive integers, got " + layers);
            }
        }
    }

    public static ProjectorConfig none() {
        return new ProjectorConfig(List.of());
    }

    public boolean enabled() {
        return !layers.isEmpty();
    }
}
