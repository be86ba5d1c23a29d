package org.crossl.core.masking;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.LatentMask;
import org.crossl.api.MaskContext;
import org.crossl.api.Masker;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Temporal masking: hides contiguous spans of the encoders' latent time axis, before pooling, at the
 * same relative time in every modality.
 *
 * <p>The window's relative time [0, 1) is cut into G = {@code segments} equal segments. Exact mode
 * hides one contiguous run of {@code min(round(ratio·G), G−1)} segments starting at a random
 * segment; bernoulli mode hides each segment with probability {@code ratio} (runs of hidden segments
 * form the spans) and reveals one if all were hidden. Latent step t of modality m (length T'_m)
 * lies in segment {@code floor((t + ½)·G / T'_m)}; a modality whose visible segments would contain
 * none of its steps (very short latent sequences) keeps its step nearest to a visible segment, so
 * pooling always sees at least one step. One draw per sample, shared by all modalities.
 */
public final class TemporalMasker implements Masker {
    private final MaskerConfig config;

    public TemporalMasker(MaskerConfig config) {
        this.config = config;
    }

    @Override
    public LatentMask sample(MaskContext ctx, SplittableRandom rng) {
        int b = ctx.batchSize();
        int g = config.segments();
        boolean[][] hiddenSegments = new boolean[b][];
        for (int i = 0; i < b; i++) {
            if (config.mode() == MaskMode.EXACT) {
                int k = Math.min((int) Math.round(config.ratio() * g), g - 1);
                boolean[] h = new boolean[g];
                int start = rng.nextInt(g - k + 1);
                for (int s = start; s < start + k; s++) {
                    h[s] = true;
                }
                hiddenSegments[i] = h;
            } else {
                hiddenSegments[i] = Masks.choose(g, config.ratio(), MaskMode.BERNOULLI, rng);
            }
        }
        List<INDArray> timeKeep = new ArrayList<>();
        for (int t : ctx.latentLengths()) {
            float[] keep = new float[b * t];
            for (int i = 0; i < b; i++) {
                int visible = 0;
                for (int s = 0; s < t; s++) {
                    int seg = (int) Math.min(g - 1, Math.floor((s + 0.5) * g / t));
                    if (!hiddenSegments[i][seg]) {
                        keep[i * t + s] = 1f;
                        visible++;
                    }
                }
                if (visible == 0) {
                    keep[i * t + nearestVisible(hiddenSegments[i], t, g)] = 1f;
                }
            }
            timeKeep.add(Nd4j.create(keep, new long[]{b, t}, 'c').castTo(ctx.presence().dataType()));
        }
        return new LatentMask(ctx.presence().dup(), timeKeep, null);
    }

    private static int nearestVisible(boolean[] hidden, int t, int g) {
        int best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int s = 0; s < t; s++) {
            double pos = (s + 0.5) * g / t;
            for (int seg = 0; seg < g; seg++) {
                if (!hidden[seg]) {
                    double dist = Math.abs(pos - (seg + 0.5));
                    if (dist < bestDistance) {
                        bestDistance = dist;
                        best = s;
                    }
                }
            }
        }
        return best;
    }
}
