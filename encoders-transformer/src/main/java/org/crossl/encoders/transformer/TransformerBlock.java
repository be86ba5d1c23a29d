package org.crossl.encoders.transformer;

import org.crossl.nn.Gelu;
import org.crossl.nn.MultiHeadSelfAttention;
import org.crossl.nn.ResidualDropout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.nn.profile.Profiling;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Dense;
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
    private final ResidualDropout residual1;
    private final LayerNorm norm2;
    private final Dense fc1;
    private final Gelu gelu = new Gelu();
    private final Dense fc2;
    private final ResidualDropout residual2;

    public TransformerBlock(String name, int width, int heads, int mlpRatio, double dropout, double epsilon, DataType type,
                            SplittableRandom rng) {
        this.width = width;
        this.norm1 = new LayerNorm(name + ".norm1", width, epsilon, type);
        this.attention = new MultiHeadSelfAttention(name + ".attention", width, heads, type, rng);
        this.residual1 = new ResidualDropout(dropout);
        this.norm2 = new LayerNorm(name + ".norm2", width, epsilon, type);
        this.fc1 = new Dense(name + ".mlp.fc1", width, mlpRatio * width, type, rng);
        this.fc2 = new Dense(name + ".mlp.fc2", mlpRatio * width, width, type, rng);
        this.residual2 = new ResidualDropout(dropout);
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
        long t0 = Profiling.start();
        Forward n1 = norm1.forward(h, pass);
        Profiling.stop("transformer layernorm forward", t0);
        long t1 = Profiling.start();
        Forward att = attention.forward(n1.output(), pass);
        Profiling.stop("transformer attention forward", t1);
        long t2 = Profiling.start();
        Forward d1 = residual1.forward(h, att.output(), pass);
        INDArray h1 = d1.output();
        Profiling.stop("transformer dropout+residual forward", t2);
        long t3 = Profiling.start();
        Forward n2 = norm2.forward(h1, pass);
        Profiling.stop("transformer layernorm forward", t3);
        long t4 = Profiling.start();
        Forward m1 = fc1.forward(n2.output().reshape('c', n, width), pass);
        Forward act = gelu.forward(m1.output(), pass);
        Forward m2 = fc2.forward(act.output(), pass);
        Profiling.stop("transformer mlp forward", t4);
        long t5 = Profiling.start();
        Forward d2 = residual2.forward(h1, m2.output(), pass);
        INDArray h2 = d2.output();
        Profiling.stop("transformer dropout+residual forward", t5);
        return Forward.of(h2, g -> {
            long b0 = Profiling.start();
            INDArray gm = Contiguous.rowMajor(d2.backward(g)).reshape('c', n, width);
            Profiling.stop("transformer dropout backward", b0);
            long b1 = Profiling.start();
            gm = m1.backward(act.backward(m2.backward(gm)));
            Profiling.stop("transformer mlp backward", b1);
            long b2 = Profiling.start();
            INDArray g1 = n2.backward(gm.reshape('c', shape)).addi(g); // dL/dh₁
            Profiling.stop("transformer layernorm backward", b2);
            long b3 = Profiling.start();
            INDArray gd = d1.backward(g1);
            Profiling.stop("transformer dropout backward", b3);
            long b4 = Profiling.start();
            INDArray gatt = att.backward(gd);
            Profiling.stop("transformer attention backward", b4);
            long b5 = Profiling.start();
            INDArray ga = n1.backward(gatt);
            Profiling.stop("transformer layernorm backward", b5);
            return ga.reshape('c', shape).addi(g1);
        });
    }
}
