package org.crossl.encoders.transformer;

import java.util.List;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GELU, tanh approximation (Hendrycks &amp; Gimpel 2016; PyTorch's {@code approximate='tanh'}), any shape:
 * {@code y = ½·x·(1 + t)} with {@code t = tanh(c·(x + 0.044715·x³))}, {@code c = sqrt(2/π)}.
 * Backward: {@code dy/dx = ½·(1 + t) + ½·x·(1 − t²)·c·(1 + 3·0.044715·x²)}.
 */
public final class Gelu implements Layer {
    static final double C = Math.sqrt(2 / Math.PI);
    static final double A = 0.044715;

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Forward forward(INDArray x, Pass pass) {
        INDArray t = x.mul(x).muli(A).addi(1).muli(x).muli(C); // c·(x + a·x³)
        Transforms.tanh(t, false);
        INDArray y = t.add(1).muli(x).muli(0.5);
        return Forward.of(y, g -> {
            INDArray inner = x.mul(x).muli(3 * A).addi(1).muli(C).muli(x); // c·x·(1 + 3a·x²)
            INDArray d = t.mul(t).rsubi(1).muli(inner).addi(t).addi(1).muli(0.5); // ½(1 + t + (1 − t²)·inner)
            return d.muli(g);
        });
    }
}
