package org.crossl.encoders.transformer;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Dense;
import org.crossl.nn.Init;
import org.crossl.nn.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al. 2017), {@code x [B, T, W] -> [B, T, W]},
 * no causal mask, no attention dropout.
 *
 * <p>Forward: {@code Q = x·W_q + b_q}, {@code K = x·W_k}, {@code V = x·W_v + b_v} (each {@code [B, T, W]},
 * split into H heads of {@code d = W/H} consecutive channels); per batch element and head
 * {@code S = Q_h·K_hᵀ / sqrt(d)}, {@code P = softmax(S)} over the key axis, {@code O_h = P·V_h}; the
 * heads are concatenated and projected: {@code y = O·W_o + b_o}.
 *
 * <p>Backward: {@code dV_h = Pᵀ·dO_h}, {@code dP = dO_h·V_hᵀ}, softmax backward
 * {@code dS = P ⊙ (dP − Σ_keys dP ⊙ P)}, then {@code dQ_h = dS·K_h / sqrt(d)},
 * {@code dK_h = dSᵀ·Q_h / sqrt(d)}; {@code dW_{q,k,v} = xᵀ·d{Q,K,V}}, {@code db = Σ_rows},
 * {@code dx = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ}.
 *
 * <p>There is no key bias: it would add the same {@code q·b_k} to every score of a softmax row, so it
 * could never change the output and its gradient is always zero.
 *
 * <p>Speed: Q, K and V come from one matrix product with the three weights side by side; heads are
 * split and merged with one permuted copy each, for all three at once; the per-head products are
 * batched ND4J matmuls over {@code [B·H, T, d]}; the softmax backward is a Java loop in float32.
 *
 * <p>Parameters: {@code <name>.query.weight|bias}, {@code <name>.key.weight}, {@code <name>.value.weight|bias},
 * {@code <name>.output.weight|bias}; {@code 4W² + 3W} in all.
 */
public final class MultiHeadSelfAttention implements Layer {
    private final int width;
    private final int heads;
    private final Parameter queryWeight;
    private final Parameter queryBias;
    private final Parameter keyWeight;
    private final Parameter valueWeight;
    private final Parameter valueBias;
    private final Dense output;

    public MultiHeadSelfAttention(String name, int width, int heads, DataType type, SplittableRandom rng) {
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("attention width " + width + " must be divisible by heads " + heads);
        }
        this.width = width;
        this.heads = heads;
        this.queryWeight = new Parameter(name + ".query.weight", Init.glorotUniform(rng, type, width, width, width, width), false);
        this.queryBias = new Parameter(name + ".query.bias", Nd4j.create(type, width), false);
        this.keyWeight = new Parameter(name + ".key.weight", Init.glorotUniform(rng, type, width, width, width, width), false);
        this.valueWeight = new Parameter(name + ".value.weight", Init.glorotUniform(rng, type, width, width, width, width), false);
        this.valueBias = new Parameter(name + ".value.bias", Nd4j.create(type, width), false);
        this.output = new Dense(name + ".output", width, width, type, rng);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(queryWeight, queryBias, keyWeight, valueWeight, valueBias, output.parameters().get(0), output.parameters().get(1));
    }

    @Override
    public Forward forward(INDArray x, Pass pass) {
        if (x.rank() != 3 || x.size(2) != width) {
            throw new IllegalArgumentException("attention expects [B, T, " + width + "], got " + java.util.Arrays.toString(x.shape()));
        }
        int b = (int) x.size(0);
        int t = (int) x.size(1);
        int d = width / heads;
        long bh = (long) b * heads;
        double scale = 1 / Math.sqrt(d);
        INDArray rows = Contiguous.rowMajor(x).reshape('c', (long) b * t, width);
        INDArray wqkv = Nd4j.hstack(queryWeight.value(), keyWeight.value(), valueWeight.value()); // [W, 3W]
        INDArray bqkv = Nd4j.concat(0, queryBias.value(), Nd4j.zeros(x.dataType(), width), valueBias.value());
        INDArray qkv = rows.mmul(wqkv).addiRowVector(bqkv); // [B·T, 3W]
        INDArray split = split(qkv, b, t, 3); // [3, B·H, T, d]
        INDArray q = split.get(NDArrayIndex.point(0));
        INDArray k = split.get(NDArrayIndex.point(1));
        INDArray v = split.get(NDArrayIndex.point(2));
        INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(scale); // [B·H, T, T]
        INDArray p = Nd4j.createUninitialized(scores.dataType(), scores.shape());
        Nd4j.exec(new SoftMax(scores.reshape('c', bh * t, t), p.reshape('c', bh * t, t), 1));
        INDArray o = Nd4j.matmul(p, v); // [B·H, T, d]
        Forward fo = output.forward(merge(o, b, t, 1), pass);
        INDArray y = fo.output().reshape('c', b, t, width);
        return Forward.of(y, g -> {
            INDArray gRows = Contiguous.rowMajor(g).reshape('c', (long) b * t, width);
            INDArray dO = split(fo.backward(gRows), b, t, 1).reshape('c', bh, t, d);
            INDArray grads = Nd4j.createUninitialized(x.dataType(), 3, bh, t, d); // dQ, dK, dV
            INDArray dV = grads.get(NDArrayIndex.point(2));
            Nd4j.matmul(p, dO, dV, true, false, false);
            INDArray dP = Nd4j.matmul(dO, v, false, true, false);
            softmaxBackward(p.reshape('c', bh * t, t), dP.reshape('c', bh * t, t), scale); // dP := dS / sqrt(d)
            Nd4j.matmul(dP, k, grads.get(NDArrayIndex.point(0)), false, false, false);
            Nd4j.matmul(dP, q, grads.get(NDArrayIndex.point(1)), true, false, false);
            INDArray gqkv = merge(grads, b, t, 3); // [B·T, 3W]
            INDArray dW = rows.transpose().mmul(gqkv);
            queryWeight.grad().addi(dW.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width)));
            keyWeight.grad().addi(dW.get(NDArrayIndex.all(), NDArrayIndex.interval(width, 2 * width)));
            valueWeight.grad().addi(dW.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * width, 3 * width)));
            INDArray db = gqkv.sum(0);
            queryBias.grad().addi(db.get(NDArrayIndex.interval(0, width)));
            valueBias.grad().addi(db.get(NDArrayIndex.interval(2 * width, 3 * width)));
            return gqkv.mmul(wqkv.transpose()).reshape('c', b, t, width);
        });
    }

    /** {@code [B·T, m·W] -> [m, B·H, T, d]} (a copy): m projections side by side, split into heads. */
    private INDArray split(INDArray rows, int b, int t, int m) {
        int d = width / heads;
        return Contiguous.rowMajor(rows).reshape('c', b, t, m, heads, d).permute(2, 0, 3, 1, 4).dup('c')
                .reshape('c', m, (long) b * heads, t, d);
    }

    /** {@code [m, B·H, T, d] -> [B·T, m·W]} (a copy), the inverse of {@link #split}. */
    private INDArray merge(INDArray perHead, int b, int t, int m) {
        int d = width / heads;
        return Contiguous.rowMajor(perHead).reshape('c', m, b, heads, t, d).permute(1, 3, 0, 2, 4).dup('c')
                .reshape('c', (long) b * t, (long) m * width);
    }

    /** In place: {@code dP := scale · P ⊙ (dP − Σ_row dP ⊙ P)} over rows of {@code [N, T]}. */
    static void softmaxBackward(INDArray p, INDArray dP, double scale) {
        if (!FloatKernels.applies(p, dP) || !Contiguous.isRowMajor(p) || !Contiguous.isRowMajor(dP)) {
            INDArray rowDot = dP.mul(p).sum(true, 1);
            dP.subiColumnVector(rowDot).muli(p).muli(scale);
            return;
        }
        int n = (int) p.size(0);
        int t = (int) p.size(1);
        FloatBuffer pb = FloatKernels.buffer(p);
        FloatBuffer gb = FloatKernels.buffer(dP);
        int po = (int) p.offset();
        int go = (int) dP.offset();
        float s = (float) scale;
        for (int r = 0; r < n; r++) {
            int pr = po + r * t;
            int gr = go + r * t;
            float dot = 0;
            for (int j = 0; j < t; j++) {
                dot += gb.get(gr + j) * pb.get(pr + j);
            }
            for (int j = 0; j < t; j++) {
                gb.put(gr + j, s * pb.get(pr + j) * (gb.get(gr + j) - dot));
            }
        }
    }
}
