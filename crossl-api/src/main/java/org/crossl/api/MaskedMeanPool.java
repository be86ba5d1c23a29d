package org.crossl.api;

import org.crossl.api.nn.Forward;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean over the visible steps of a latent sequence, the default pooling of every {@link Encoder}.
 *
 * <p>{@code Q[b,d] = Σ_t k[b,t]·L[b,t,d] / Σ_t k[b,t]}; backward
 * {@code dL/dL[b,t,d] = k[b,t]·g[b,d] / Σ_t k[b,t]}.
 */
public final class MaskedMeanPool {
    private MaskedMeanPool() {
    }

    /**
     * @param latent   {@code [B, T', D]}
     * @param timeKeep {@code [B, T']} with at least one 1 per row, or {@code null}
     */
    public static Forward forward(INDArray latent, INDArray timeKeep) {
        long b = latent.size(0);
        long t = latent.size(1);
        long d = latent.size(2);
        if (timeKeep == null) {
            INDArray out = latent.mean(1);
            return Forward.of(out, g -> {
                INDArray grad = latent.ulike();
                grad.assign(g.reshape(b, 1, d).broadcast(b, t, d)).divi(t);
                return grad;
            });
        }
        if (timeKeep.size(0) != b || timeKeep.size(1) != t) {
            throw new IllegalArgumentException("time mask must be [" + b + ", " + t + "], got " + java.util.Arrays.toString(timeKeep.shape()));
        }
        INDArray keep = timeKeep.castTo(latent.dataType());
        INDArray count = keep.sum(true, 1); // [B,1]
        if (count.minNumber().doubleValue() < 1) {
            throw new IllegalArgumentException("a time mask hides every step of a sample; a temporal masker must keep at least one");
        }
        INDArray weights = keep.div(count).reshape(b, t, 1); // [B,T,1]
        INDArray out = latent.mul(weights.broadcast(b, t, d)).sum(1);
        return Forward.of(out, g -> g.reshape(b, 1, d).broadcast(b, t, d).mul(weights.broadcast(b, t, d)));
    }
}
