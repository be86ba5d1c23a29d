package org.crossl.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al. 2017), {@code x [B, T, W] -> [B, T, W]},
 * no causal mask, no attention dropout.
 *
 * <p>Forward: {@code Q = x·W_q + b_q}, {@code K = x·W_k}, {@code V = x·W_v + b_v} (each {@code [B, T, W]},
 * split into H heads of {@code d = W/H} consecutive channels); per batch element the attention core
 * {@link Attention} ({@code O_h = softmax(Q_h·K_hᵀ / sqrt(d))·V_h}); the heads are concatenated and
 * projected: {@code y = O·W_o + b_o}.
 *
 * <p>Backward: the core's, then {@code dW_{q,k,v} = xᵀ·d{Q,K,V}}, {@code db = Σ_rows},
 * {@code dx = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ}.
 *
 * <p>There is no key bias: it would add the same {@code q·b_k} to every score of a softmax row, so it
 * could never change the output and its gradient is always zero.
 *
 * <p>Speed: Q, K and V come from one matrix product with the three weights side by side, and so do
 * their weight gradients.
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
        INDArray rows = Contiguous.rowMajor(x).reshape('c', (long) b * t, width);
        INDArray wqkv = Nd4j.hstack(queryWeight.value(), keyWeight.value(), valueWeight.value()); // [W, 3W]
        INDArray bqkv = Nd4j.concat(0, queryBias.value(), Nd4j.zeros(x.dataType(), width), valueBias.value());
        INDArray qkv = rows.mmul(wqkv).addiRowVector(bqkv); // [B·T, 3W]
        Forward attention = Attention.forward(qkv, b, t, heads, null);
        Forward fo = output.forward(attention.output(), pass);
        INDArray y = fo.output().reshape('c', b, t, width);
        return Forward.of(y, g -> {
            INDArray gRows = Contiguous.rowMajor(g).reshape('c', (long) b * t, width);
            INDArray gqkv = attention.backward(fo.backward(gRows)); // [B·T, 3W]
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
}
