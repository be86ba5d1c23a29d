package org.crossl.core.masking;

import java.util.SplittableRandom;
import org.crossl.api.LatentMask;
import org.crossl.api.MaskContext;
import org.crossl.api.Masker;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random masking: hides individual elements of the pooled modality embeddings {@code [B, M, D]}.
 * Per sample, among the {@code p·D} elements of its present modalities, each is hidden with
 * probability {@code ratio} (bernoulli) or exactly {@code round(ratio·p·D)} are (exact); at least
 * one element stays visible.
 */
public final class RandomMasker implements Masker {
    private final MaskerConfig config;

    public RandomMasker(MaskerConfig config) {
        this.config = config;
    }

    @Override
    public LatentMask sample(MaskContext ctx, SplittableRandom rng) {
        int b = ctx.batchSize();
        int m = ctx.modalities();
        int d = ctx.codeSize();
        float[] presence = Masks.presence(ctx);
        float[] keep = new float[b * m * d];
        int[] present = new int[m];
        for (int i = 0; i < b; i++) {
            int p = Masks.presentModalities(presence, i, m, present);
            boolean[] hidden = Masks.choose(p * d, config.ratio(), config.mode(), rng);
            for (int k = 0; k < p * d; k++) {
                int j = present[k / d];
                keep[(i * m + j) * d + k % d] = hidden[k] ? 0f : 1f;
            }
        }
        DataType type = ctx.presence().dataType();
        return new LatentMask(ctx.presence().dup(), null, Nd4j.create(keep, new long[]{b, m, d}, 'c').castTo(type));
    }
}
