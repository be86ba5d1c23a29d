package org.example.dwconv;

import java.util.List;
import org.crossl.api.spi.ConfigException;

/**
 * The {@code dwconv} encoder's config section. Keys arrive as {@code null} when a config leaves them
 * out; the compact constructor fills the defaults and rejects bad values, naming the key.
 *
 * @param widths output channels of each depthwise-separable block; the last is D, the embedding size
 *               (default [48, 96]: 96 like the tcn encoder, so the two can be mixed across modalities)
 * @param kernel   depthwise kernel length, odd (default 9)
 * @param backward {@code manual} (default): the hand-written backward pass; {@code autodiff}: the
 *                 same forward written as SameDiff ops, differentiated by SameDiff (crossl-nn's
 *                 {@code SameDiffLayer}); same parameters, so a model file loads into either
 */
public record DwConvConfig(List<Integer> widths, Integer kernel, String backward) {
    public DwConvConfig(List<Integer> widths, Integer kernel) {
        this(widths, kernel, null);
    }

    public DwConvConfig {
        widths = widths == null ? List.of(48, 96) : List.copyOf(widths);
        kernel = kernel == null ? 9 : kernel;
        backward = backward == null ? "manual" : backward;
        if (!backward.equals("manual") && !backward.equals("autodiff")) {
            throw new ConfigException("backward", "is 'manual' or 'autodiff'; got '" + backward + "'");
        }
        if (widths.isEmpty() || widths.stream().anyMatch(w -> w == null || w < 1)) {
            throw new ConfigException("widths", "needs at least one block, each with a positive width; got " + widths);
        }
        if (kernel < 1 || kernel % 2 == 0) {
            throw new ConfigException("kernel", "must be a positive odd length (for 'same' padding); got " + kernel);
        }
    }
}
