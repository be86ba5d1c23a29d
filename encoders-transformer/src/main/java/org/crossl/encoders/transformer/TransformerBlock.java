package org.crossl.encoders.transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Dense;
import org.crossl.nn.Dropout;
import org.crossl.nn.Layer;
import org.crossl.nn.LayerNorm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One pre-norm transformer block, {@code h [B, T, W] -> [B, T, W]}:
 * {@code h₁ = h + Dropout(MHA(LN₁(h)))}, {@code h₂ = h₁ + Dropout(MLP(LN₂(h₁)))} with
 * {@code MLP = Dense(W → r·W) → GELU → Dense(r·W → W)}. Backward sends the gradient through each
 * residual branch and adds the identity path.
 *
 * <p>Parameters: {@code <name>.norm1.*}, {@code <name>.attention.*}, {@code <name>.norm2.*},
 * {@code <name>.mlp.fc1.*}, {@code <name>.mlp.fc2.*}.
 */
public final class TransformerBlock implements Layer {
    private final int width;
    private final LayerNorm norm1;
    private final MultiHeadSelfAttention attention;
    private final Dropout dropout1;
    private final LayerNorm norm2;
    private final Dense fc1;
    private final Gelu gelu = new Gelu();
    private final Dense fc2;
    private final Dropout dropout2;

    public TransformerBlock(String name, int width, int heads, int mlpRatio, double dropout, double epsilon, DataType type,
                            SplittableRandom rng) {
        this.width = width;
        this.norm1 = new LayerNorm(name + ".norm1", width, epsilon, type);
        this.attention = new MultiHeadSelfAttention(name + ".attention", width, heads, type, rng);
        this.dropout1 = new Dropout(dropout);
        this.norm2 = new LayerNorm(name + ".norm2", width, epsilon, type);
        this.fc1 = new Dense(name + ".mlp.fc1", width, mlpRatio * width, type, rng);
        this.fc2 = new Dense(name + ".mlp.fc2", mlpRatio * width, width, type, rng);
        this.dropout2 = new Dropout(dropout);
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(norm1.parameters());
        all.addAll(attention.parameters());
        all.addAll(norm2.parameters());
        all.addAll(fc1.parameters());
        all.addAll(fc2.parameters());
        return all;
    }

    @Override
    public Forward forward(INDArray h, Pass pass) {
        long[] shape = h.shape();
        long n = h.length() / width;
        Forward n1 = norm1.forward(h, pass);
        Forward att = attention.forward(n1.output(), pass);
        Forward d1 = dropout1.forward(att.output(), pass);
        INDArray h1 = h.add(d1.output());
        Forward n2 = norm2.forward(h1, pass);
        Forward m1 = fc1.forward(n2.output().reshape('c', n, width), pass);
        Forward act = gelu.forward(m1.output(), pass);
        Forward m2 = fc2.forward(act.output(), pass);
        Forward d2 = dropout2.forward(m2.output().reshape('c', shape), pass);
        INDArray h2 = h1.add(d2.output());
        return Forward.of(h2, g -> {
            INDArray gm = Contiguous.rowMajor(d2.backward(g)).reshape('c', n, width);
            gm = m1.backward(act.backward(m2.backward(gm)));
            INDArray g1 = n2.backward(gm.reshape('c', shape)).addi(g); // dL/dh₁
            INDArray ga = n1.backward(att.backward(d1.backward(g1)));
            return ga.reshape('c', shape).addi(g1);
        });
    }
}
