package org.crossl.core.masking;

import java.util.SplittableRandom;
import org.crossl.api.LatentMask;
import org.crossl.api.MaskContext;
import org.crossl.api.Masker;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spatial masking: hides whole modalities. Per sample, among its p present modalities, hides each
 * with probability {@code ratio} (bernoulli) or exactly {@code min(round(ratio·p), p−1)} (exact);
 * never all of them (unlike the reference, which can mask every modality).
 */
public final class SpatialMasker implements Masker {
    private final MaskerConfig config;

    public SpatialMasker(MaskerConfig config) {
        this.config = config;
    }

    /**
     * Why this masker cannot do what its config says with {@code modalities} modalities, or null:
     * in exact mode a ratio that rounds to every modality would hide them all, which the contract
     * forbids (the masker would silently keep one, i.e. run at another ratio than configured).
     */
    public String problemWith(int modalities) {
        if (config.mode() == MaskMode.EXACT && modalities > 0 && Math.round(config.ratio() * modalities) >= modalities) {
            return String.format(java.util.Locale.ROOT, "%s hides round(%s × %d) = %d of %d modalities in exact mode, i.e. every one; "
                    + "spatial masking must keep at least one, so use a ratio below %.3f", config.ratio(), config.ratio(), modalities,
                    Math.round(config.ratio() * modalities), modalities, 1 - 0.5 / modalities);
        }
        return null;
    }

    @Override
    public LatentMask sample(MaskContext ctx, SplittableRandom rng) {
        int b = ctx.batchSize();
        int m = ctx.modalities();
        float[] presence = Masks.presence(ctx);
        float[] keep = new float[b * m];
        int[] present = new int[m];
        for (int i = 0; i < b; i++) {
            int p = Masks.presentModalities(presence, i, m, present);
            boolean[] hidden = Masks.choose(p, config.ratio(), config.mode(), rng);
            for (int k = 0; k < p; k++) {
                keep[i * m + present[k]] = hidden[k] ? 0f : 1f;
            }
        }
        return new LatentMask(Nd4j.create(keep, new long[]{b, m}, 'c').castTo(ctx.presence().dataType()), null, null);
    }
}
