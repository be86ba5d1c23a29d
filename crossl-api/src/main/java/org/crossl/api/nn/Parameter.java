package org.crossl.api.nn;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable array and the gradient accumulated for it.
 *
 * <p>Components add into {@link #grad()} during {@code backward}; the trainer zeroes gradients before
 * each step and applies the optimiser after. {@code decay} marks weights that take L2 weight decay
 * (convolution and dense kernels in the reference; never biases, norms or PReLU slopes).
 */
public final class Parameter {
    private final String name;
    private final INDArray value;
    private final INDArray grad;
    private final boolean decay;

    public Parameter(String name, INDArray value, boolean decay) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        this.grad = value.ulike().assign(0);
        this.decay = decay;
    }

    public String name() {
        return name;
    }

    public INDArray value() {
        return value;
    }

    public INDArray grad() {
        return grad;
    }

    public boolean decay() {
        return decay;
    }

    /** Adds g into the gradient (shapes must match). */
    public void accumulate(INDArray g) {
        if (!Arrays.equals(g.shape(), value.shape())) {
            throw new IllegalStateException("gradient for " + name + " has shape " + Arrays.toString(g.shape())
                    + ", parameter has " + Arrays.toString(value.shape()));
        }
        grad.addi(g);
    }

    public long length() {
        return value.length();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(value.shape());
    }
}
