package org.crossl.api;

import java.nio.FloatBuffer;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mean over the visible steps of a latent sequence, the default pooling of every {@link Encoder}.
 *
 * <p>{@code Q[b,d] = Σ_t w[b,t]·L[b,t,d]} with {@code w[b,t] = k[b,t] / Σ_t k[b,t]} (k = 1 for every
 * step without a time mask); backward {@code dL/dL[b,t,d] = w[b,t]·g[b,d]}.
 *
 * <p>float32 runs as two plain loops over the arrays' memory (one read or one write of the
 * latent); as ND4J ops a reduction over the middle axis and a materialised broadcast cost tens of
 * times more. Other types use ND4J ops.
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
        INDArray weights;
        if (timeKeep == null) {
            weights = null;
        } else {
            if (timeKeep.size(0) != b || timeKeep.size(1) != t) {
                throw new IllegalArgumentException("time mask must be [" + b + ", " + t + "], got " + java.util.Arrays.toString(timeKeep.shape()));
            }
            INDArray keep = timeKeep.castTo(latent.dataType());
            INDArray count = keep.sum(true, 1); // [B,1]
            if (count.minNumber().doubleValue() < 1) {
                throw new IllegalArgumentException("a time mask hides every step of a sample; a temporal masker must keep at least one");
            }
            weights = keep.div(count); // [B,T]
        }
        if (latent.dataType() == DataType.FLOAT && Contiguous.fitsIntIndexing(latent)) {
            return floatPool(Contiguous.rowMajor(latent), weights, (int) b, (int) t, (int) d);
        }
        if (weights == null) {
            INDArray out = latent.mean(1);
            return Forward.of(out, g -> {
                INDArray grad = latent.ulike();
                grad.assign(g.reshape(b, 1, d).broadcast(b, t, d)).divi(t);
                return grad;
            });
        }
        INDArray w3 = weights.reshape(b, t, 1);
        INDArray out = latent.mul(w3.broadcast(b, t, d)).sum(1);
        return Forward.of(out, g -> g.reshape(b, 1, d).broadcast(b, t, d).mul(w3.broadcast(b, t, d)));
    }

    private static Forward floatPool(INDArray latent, INDArray weights, int b, int t, int d) {
        float[] w = weights == null ? null : weights.castTo(DataType.FLOAT).dup('c').data().asFloat();
        FloatBuffer lb = Contiguous.floatBuffer(latent);
        int lo = (int) latent.offset();
        float[] out = new float[b * d];
        float uniform = 1f / t;
        for (int i = 0; i < b; i++) {
            int o = i * d;
            for (int s = 0; s < t; s++) {
                float ws = w == null ? uniform : w[i * t + s];
                int base = lo + (i * t + s) * d;
                for (int k = 0; k < d; k++) {
                    out[o + k] += ws * lb.get(base + k);
                }
            }
        }
        INDArray q = Nd4j.create(out, new long[] {b, d}, 'c');
        return Forward.of(q, g -> {
            float[] gv = g.castTo(DataType.FLOAT).dup('c').data().asFloat();
            INDArray grad = Nd4j.createUninitialized(DataType.FLOAT, b, t, d);
            FloatBuffer gb = Contiguous.floatBuffer(grad);
            int go = (int) grad.offset();
            for (int i = 0; i < b; i++) {
                for (int s = 0; s < t; s++) {
                    float ws = w == null ? uniform : w[i * t + s];
                    int base = go + (i * t + s) * d;
                    for (int k = 0; k < d; k++) {
                        gb.put(base + k, ws * gv[i * d + k]);
                    }
                }
            }
            return grad;
        });
    }
}
