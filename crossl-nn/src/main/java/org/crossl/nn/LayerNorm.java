package org.crossl.nn;

import java.util.List;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Layer normalisation over the last axis (Ba et al. 2016), any leading shape.
 *
 * <p>{@code y = γ ⊙ (x − μ)/sqrt(σ² + ε) + β}, μ and σ² (biased) over the last axis of size C;
 * γ = 1, β = 0 at start. ε defaults to 1e-3, the Keras value the reference uses. Backward:
 * {@code dx = (ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂)) / sqrt(σ²+ε)} with {@code ĝ = γ ⊙ dy}.
 *
 * <p>float32 runs the fused kernel of {@link NormActDropout} (with the identity for activation and
 * no dropout): one pass each way on ND4J's threads and the Vector API, instead of about 23 native
 * ops. Other types (float64 for gradient checks) run the ND4J ops below, the reference the kernel
 * is tested against. Layer normalisation has no other kernel in the project.
 */
public final class LayerNorm implements Layer {
    public static final double KERAS_EPSILON = 1e-3;

    private final Parameter gain;
    private final Parameter shift;
    private final double epsilon;
    private final NormActDropout kernel; // null: ND4J ops only (the fused kernel's own reference)

    public LayerNorm(String name, int channels, double epsilon, DataType type) {
        this(new Parameter(name + ".gain", Nd4j.ones(type, channels), false),
                new Parameter(name + ".bias", Nd4j.zeros(type, channels), false), epsilon, true);
    }

    private LayerNorm(Parameter gain, Parameter shift, double epsilon, boolean withKernel) {
        this.gain = gain;
        this.shift = shift;
        this.epsilon = epsilon;
        this.kernel = withKernel ? NormActDropout.normOnly(gain, shift, epsilon) : null;
    }

    /** The ND4J-ops layer over existing parameters: the reference of the fused kernel, never the kernel itself. */
    static LayerNorm ops(Parameter gain, Parameter shift, double epsilon) {
        return new LayerNorm(gain, shift, epsilon, false);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gain, shift);
    }

    @Override
    public Forward forward(INDArray input, Pass pass) {
        if (kernel != null && input.dataType() == DataType.FLOAT && gain.value().dataType() == DataType.FLOAT) {
            return kernel.forward(input, pass); // falls back to ops(…) itself where the kernel does not apply
        }
        long[] shape = input.shape();
        INDArray x = Rows.of(input); // [N, C]
        INDArray mean = x.mean(true, 1);
        INDArray xhat = x.subColumnVector(mean);
        INDArray var = xhat.mul(xhat).mean(true, 1);
        INDArray inv = Nd4j.math().sqrt(var.addi(epsilon)).rdivi(1.0);
        xhat.muliColumnVector(inv);
        INDArray y = xhat.mulRowVector(gain.value()).addiRowVector(shift.value());
        INDArray out = y.reshape('c', shape);
        return Forward.of(out, gradOut -> {
            INDArray g = Rows.of(gradOut);
            gain.grad().addi(g.mul(xhat).sum(0));
            shift.grad().addi(g.sum(0));
            INDArray gh = g.mulRowVector(gain.value());
            INDArray m1 = gh.mean(true, 1);
            INDArray m2 = gh.mul(xhat).mean(true, 1);
            INDArray gx = gh.subiColumnVector(m1).subi(xhat.mulColumnVector(m2)).muliColumnVector(inv);
            return gx.reshape('c', shape);
        });
    }
}
