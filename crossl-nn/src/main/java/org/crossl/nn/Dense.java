package org.crossl.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fully connected layer {@code x [N, in] -> y = x·W + b [N, out]}, W Glorot-uniform, b zero.
 * Backward: {@code dW = xᵀ·dy}, {@code db = Σ_n dy}, {@code dx = dy·Wᵀ}. Not weight-decayed (the
 * reference regularises only convolution kernels).
 */
public final class Dense implements Layer {
    private final Parameter weight;
    private final Parameter bias;

    public Dense(String name, int in, int out, DataType type, SplittableRandom rng) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("dense layer sizes must be positive, got " + in + " -> " + out);
        }
        this.weight = new Parameter(name + ".weight", Init.glorotUniform(rng, type, in, out, in, out), false);
        this.bias = new Parameter(name + ".bias", Nd4j.create(type, out), false);
    }

    public int in() {
        return (int) weight.value().size(0);
    }

    public int out() {
        return (int) weight.value().size(1);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public Forward forward(INDArray x, Pass pass) {
        if (x.rank() != 2 || x.size(1) != in()) {
            throw new IllegalArgumentException("dense layer expects [N, " + in() + "], got " + java.util.Arrays.toString(x.shape()));
        }
        INDArray y = x.mmul(weight.value()).addiRowVector(bias.value());
        return Forward.of(y, g -> {
            weight.grad().addi(x.transpose().mmul(g));
            bias.grad().addi(g.sum(0));
            return g.mmul(weight.value().transpose());
        });
    }
}
