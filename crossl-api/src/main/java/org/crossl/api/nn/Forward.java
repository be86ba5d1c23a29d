package org.crossl.api.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of one forward pass, able to send a gradient back through it.
 *
 * <p>A component returns a {@code Forward} that keeps whatever the backward pass needs. Calling
 * {@link #backward} with dL/d(output) adds dL/d(parameters) into the component's
 * {@link Parameter#grad()} and returns dL/d(input). A forward pass may be run several times before
 * any backward (the aggregator sees two masked views of one batch); each {@code Forward} is
 * independent. {@code backward} is called at most once per {@code Forward}.
 */
public interface Forward {
    /** The output of the pass. Callers must not modify it. */
    INDArray output();

    /**
     * @param gradOutput dL/d(output), same shape as {@link #output()}
     * @return dL/d(input), same shape as the input; {@code null} when the input is data that needs no
     *         gradient (encoders receive raw windows)
     */
    INDArray backward(INDArray gradOutput);

    /** A pass whose backward is {@code backward}: dL/d(output) ↦ dL/d(input). */
    static Forward of(INDArray output, java.util.function.UnaryOperator<INDArray> backward) {
        return new Forward() {
            @Override
            public INDArray output() {
                return output;
            }

            @Override
            public INDArray backward(INDArray gradOutput) {
                return backward.apply(gradOutput);
            }
        };
    }

    /** A pass with no parameters behind it, for inference-only results. */
    static Forward constant(INDArray output) {
        return new Forward() {
            @Override
            public INDArray output() {
                return output;
            }

            @Override
            public INDArray backward(INDArray gradOutput) {
                throw new IllegalStateException("this output was computed for inference; no backward pass is available");
            }
        };
    }
}
