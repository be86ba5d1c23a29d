package org.crossl.encoders.transformer;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Dense;
import org.crossl.nn.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al. 2017), {@code x [B, T, W] -> [B, T, W]},
 * no causal mask, no attention dropout.
 *
 * <p>Forward: {@code Q = x·W_q + b_q}, {@code K}, {@code V} likewise (each {@code [B, T, W]}, split into
 * H heads of {@code d = W/H}); per batch element and head {@code S = Q_h·K_hᵀ / sqrt(d)},
 * {@code P = softmax(S)} over the key axis, {@code O_h = P·V_h}; the heads are concatenated and
 * projected: {@code y = O·W_o + b_o}.
 *
 * <p>Backward: {@code dV_h = Pᵀ·dO_h}, {@code dP = dO_h·V_hᵀ}, softmax backward
 * {@code dS = P ⊙ (dP − Σ_keys dP ⊙ P)}, then {@code dQ_h = dS·K_h / sqrt(d)},
 * {@code dK_h = dSᵀ·Q_h / sqrt(d)}; the projections' backward passes are {@link Dense}'s.
 * The key bias {@code b_k} never changes the output (it adds the same {@code q·b_k} to every score of
 * a softmax row), so its gradient is always zero; it is kept so the layer is the usual one.
 *
 * <p>The per-head products are batched ND4J matmuls over {@code [B·H, T, d]} arrays; heads are
 * split and merged with one permuted copy each.
 *
 * <p>Parameters: {@code <name>.query|key|value|output.weight|bias}.
 */
public final class MultiHeadSelfAttention implements Layer {
    private final int width;
    private final int heads;
    private final Dense query;
    private final Dense key;
    private final Dense value;
    private final Dense output;

    public MultiHeadSelfAttention(String name, int width, int heads, DataType type, SplittableRandom rng) {
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("attention width " + width + " must be divisible by heads " + heads);
        }
        this.width = width;
        this.heads = heads;
        this.query = new Dense(name + ".query", width, width, type, rng);
        this.key = new Dense(name + ".key", width, width, type, rng);
        this.value = new Dense(name + ".value", width, width, type, rng);
        this.output = new Dense(name + ".output", width, width, type, rng);
    }

    @Override
    public List<Parameter> parameters() {
        return Stream.of(query, key, value, output).flatMap(d -> d.parameters().stream()).toList();
    }

    @Override
    public Forward forward(INDArray x, Pass pass) {
        if (x.rank() != 3 || x.size(2) != width) {
            throw new IllegalArgumentException("attention expects [B, T, " + width + "], got " + java.util.Arrays.toString(x.shape()));
        }
        int b = (int) x.size(0);
        int t = (int) x.size(1);
        int d = width / heads;
        double scale = 1 / Math.sqrt(d);
        INDArray rows = Contiguous.rowMajor(x).reshape('c', (long) b * t, width);
        Forward fq = query.forward(rows, pass);
        Forward fk = key.forward(rows, pass);
        Forward fv = value.forward(rows, pass);
        INDArray q = split(fq.output(), b, t);
        INDArray k = split(fk.output(), b, t);
        INDArray v = split(fv.output(), b, t);
        INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(scale); // [B·H, T, T]
        INDArray p = softmaxRows(scores.reshape('c', (long) b * heads * t, t)).reshape('c', (long) b * heads, t, t);
        INDArray o = Nd4j.matmul(p, v); // [B·H, T, d]
        Forward fo = output.forward(merge(o, b, t), pass);
        INDArray y = fo.output().reshape('c', b, t, width);
        return Forward.of(y, g -> {
            INDArray gRows = Contiguous.rowMajor(g).reshape('c', (long) b * t, width);
            INDArray dO = split(fo.backward(gRows), b, t);
            INDArray dV = Nd4j.matmul(p, dO, true, false, false);
            INDArray dP = Nd4j.matmul(dO, v, false, true, false);
            INDArray dP2 = dP.reshape('c', (long) b * heads * t, t);
            INDArray p2 = p.reshape('c', (long) b * heads * t, t);
            INDArray rowDot = dP2.mul(p2).sum(true, 1);
            dP2.subiColumnVector(rowDot).muli(p2).muli(scale); // dS·scale, in dP's memory
            INDArray dQ = Nd4j.matmul(dP, k);
            INDArray dK = Nd4j.matmul(dP, q, true, false, false);
            INDArray dx = fq.backward(merge(dQ, b, t));
            dx.addi(fk.backward(merge(dK, b, t)));
            dx.addi(fv.backward(merge(dV, b, t)));
            return dx.reshape('c', b, t, width);
        });
    }

    /** {@code [B·T, W] -> [B·H, T, d]} (a copy). */
    private INDArray split(INDArray rows, int b, int t) {
        int d = width / heads;
        return rows.reshape('c', b, t, heads, d).permute(0, 2, 1, 3).dup('c').reshape('c', (long) b * heads, t, d);
    }

    /** {@code [B·H, T, d] -> [B·T, W]} (a copy). */
    private INDArray merge(INDArray perHead, int b, int t) {
        int d = width / heads;
        return Contiguous.rowMajor(perHead).reshape('c', b, heads, t, d).permute(0, 2, 1, 3).dup('c').reshape('c', (long) b * t, width);
    }

    /** Softmax along axis 1 of {@code [N, T]}, into a new array. */
    static INDArray softmaxRows(INDArray s) {
        INDArray out = s.ulike();
        Nd4j.exec(new SoftMax(s, out, 1));
        return out;
    }
}
