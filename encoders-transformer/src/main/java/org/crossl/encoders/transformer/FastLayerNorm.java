package org.crossl.encoders.transformer;

import java.nio.FloatBuffer;
import java.util.List;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Layer;
import org.crossl.nn.LayerNorm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * crossl-nn's {@link LayerNorm} (same function, same parameters {@code <name>.gain}, {@code <name>.bias})
 * with a float32 Java kernel: forward {@code y = γ⊙x̂ + β}, {@code x̂ = (x − μ)/sqrt(σ² + ε)} per row;
 * backward {@code dx = (ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂)) / sqrt(σ²+ε)} with {@code ĝ = γ⊙dy},
 * {@code dγ = Σ dy⊙x̂}, {@code dβ = Σ dy}. One pass each way instead of about 23 native ops.
 * Other types run the ND4J layer, the reference the kernel is tested against.
 */
final class FastLayerNorm implements Layer {
    private final LayerNorm reference;
    private final Parameter gain;
    private final Parameter shift;
    private final float epsilon;

    FastLayerNorm(String name, int channels, double epsilon, DataType type) {
        this.reference = new LayerNorm(name, channels, epsilon, type);
        this.gain = reference.parameters().get(0);
        this.shift = reference.parameters().get(1);
        this.epsilon = (float) epsilon;
    }

    @Override
    public List<Parameter> parameters() {
        return reference.parameters();
    }

    @Override
    public Forward forward(INDArray input, Pass pass) {
        if (!FloatKernels.applies(input, gain.value())) {
            return reference.forward(input, pass);
        }
        long[] shape = input.shape();
        int c = (int) shape[shape.length - 1];
        int n = (int) (input.length() / c);
        INDArray x = Contiguous.rowMajor(input);
        INDArray xhat = Nd4j.createUninitialized(DataType.FLOAT, n, c);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, n, c);
        float[] g = FloatKernels.floats(gain.value());
        float[] b = FloatKernels.floats(shift.value());
        float[] inv = new float[n];
        FloatBuffer xb = FloatKernels.buffer(x);
        FloatBuffer hb = FloatKernels.buffer(xhat);
        FloatBuffer yb = FloatKernels.buffer(y);
        int xo = (int) x.offset();
        int ho = (int) xhat.offset();
        int yo = (int) y.offset();
        for (int r = 0; r < n; r++) {
            int xr = xo + r * c;
            float s = 0;
            for (int k = 0; k < c; k++) {
                s += xb.get(xr + k);
            }
            float mu = s / c;
            float v = 0;
            for (int k = 0; k < c; k++) {
                float d = xb.get(xr + k) - mu;
                v += d * d;
            }
            float iv = (float) (1.0 / Math.sqrt(v / c + epsilon));
            inv[r] = iv;
            int hr = ho + r * c;
            int yr = yo + r * c;
            for (int k = 0; k < c; k++) {
                float xh = (xb.get(xr + k) - mu) * iv;
                hb.put(hr + k, xh);
                yb.put(yr + k, g[k] * xh + b[k]);
            }
        }
        return Forward.of(y.reshape('c', shape), gradOut -> backward(gradOut, xhat, g, inv, shape));
    }

    private INDArray backward(INDArray gradOut, INDArray xhat, float[] g, float[] inv, long[] shape) {
        int c = g.length;
        int n = inv.length;
        INDArray go = Contiguous.rowMajor(gradOut);
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, n, c);
        FloatBuffer hb = FloatKernels.buffer(xhat);
        FloatBuffer gb = FloatKernels.buffer(go);
        FloatBuffer ob = FloatKernels.buffer(gx);
        int ho = (int) xhat.offset();
        int g0 = (int) go.offset();
        int oo = (int) gx.offset();
        float[] dGain = new float[c];
        float[] dShift = new float[c];
        float[] gh = new float[c];
        for (int r = 0; r < n; r++) {
            int hr = ho + r * c;
            int gr = g0 + r * c;
            float m1 = 0;
            float m2 = 0;
            for (int k = 0; k < c; k++) {
                float dy = gb.get(gr + k);
                float xh = hb.get(hr + k);
                dGain[k] += dy * xh;
                dShift[k] += dy;
                float ghk = g[k] * dy;
                gh[k] = ghk;
                m1 += ghk;
                m2 += ghk * xh;
            }
            m1 /= c;
            m2 /= c;
            float iv = inv[r];
            int or = oo + r * c;
            for (int k = 0; k < c; k++) {
                ob.put(or + k, (gh[k] - m1 - hb.get(hr + k) * m2) * iv);
            }
        }
        gain.grad().addi(Nd4j.createFromArray(dGain));
        shift.grad().addi(Nd4j.createFromArray(dShift));
        return gx.reshape('c', shape);
    }
}
