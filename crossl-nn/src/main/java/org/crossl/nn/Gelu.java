package org.crossl.nn;

import java.nio.FloatBuffer;
import java.util.List;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GELU, tanh approximation (Hendrycks &amp; Gimpel 2016; PyTorch's {@code approximate='tanh'}), any shape:
 * {@code y = ½·x·(1 + t)} with {@code t = tanh(c·(x + 0.044715·x³))}, {@code c = sqrt(2/π)}.
 * Backward: {@code dy/dx = ½·(1 + t) + ½·x·(1 − t²)·c·(1 + 3·0.044715·x²)}.
 *
 * <p>float32: the polynomial parts are Java loops around one native tanh (see {@link FloatKernels});
 * other types run ND4J ops, the reference the kernel is tested against.
 */
public final class Gelu implements Layer {
    static final double C = Math.sqrt(2 / Math.PI);
    static final double A = 0.044715;

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Forward forward(INDArray input, Pass pass) {
        if (FloatKernels.applies(input)) {
            return fused(input);
        }
        INDArray x = input;
        INDArray t = x.mul(x).muli(A).addi(1).muli(x).muli(C); // c·(x + a·x³)
        Transforms.tanh(t, false);
        INDArray y = t.add(1).muli(x).muli(0.5);
        return Forward.of(y, g -> {
            INDArray inner = x.mul(x).muli(3 * A).addi(1).muli(C).muli(x); // c·x·(1 + 3a·x²)
            INDArray d = t.mul(t).rsubi(1).muli(inner).addi(t).addi(1).muli(0.5); // ½(1 + t + (1 − t²)·inner)
            return d.muli(g);
        });
    }

    private static Forward fused(INDArray input) {
        long[] shape = input.shape();
        int n = (int) input.length();
        INDArray x = Contiguous.rowMajor(input);
        INDArray t = Nd4j.createUninitialized(DataType.FLOAT, n);
        FloatBuffer xb = FloatKernels.buffer(x);
        FloatBuffer tb = FloatKernels.buffer(t);
        int xo = (int) x.offset();
        int to = (int) t.offset();
        float a = (float) A;
        float c = (float) C;
        for (int i = 0; i < n; i++) {
            float v = xb.get(xo + i);
            tb.put(to + i, c * v * (1 + a * v * v));
        }
        Transforms.tanh(t, false);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, n);
        FloatBuffer yb = FloatKernels.buffer(y);
        int yo = (int) y.offset();
        for (int i = 0; i < n; i++) {
            yb.put(yo + i, 0.5f * xb.get(xo + i) * (1 + tb.get(to + i)));
        }
        return Forward.of(y.reshape('c', shape), gradOut -> {
            INDArray g = Contiguous.rowMajor(gradOut);
            FloatBuffer gb = FloatKernels.buffer(g);
            int go = (int) g.offset();
            INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, n);
            FloatBuffer db = FloatKernels.buffer(dx);
            int dO = (int) dx.offset();
            for (int i = 0; i < n; i++) {
                float v = xb.get(xo + i);
                float th = tb.get(to + i);
                float inner = c * v * (1 + 3 * a * v * v);
                db.put(dO + i, gb.get(go + i) * 0.5f * (1 + th + (1 - th * th) * inner));
            }
            return dx.reshape('c', shape);
        });
    }
}
