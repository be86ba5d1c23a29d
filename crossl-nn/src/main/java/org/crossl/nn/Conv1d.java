package org.crossl.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.nn.profile.Profiling;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.onednn.Conv1dKernel;
import org.crossl.nn.onednn.OneDnn;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 1-D convolution over time, stride 1, 'same' padding, channels last.
 *
 * <p>{@code x [B, T, Cin] -> y [B, T, Cout]}, {@code y[b,t,o] = bias[o] + Σ_{k,i} W[k,i,o]·x[b, t+k−pl, i]}
 * with {@code pl = (K−1)/2} (rounded down; an even kernel pads one more on the right, as
 * TensorFlow and PyTorch do). Weights {@code W [K, Cin, Cout]} Glorot-uniform, bias zero.
 *
 * <p>In float32 it runs on direct oneDNN 3 primitives over the channels-last arrays as they are
 * ({@link Conv1dKernel}); in other types, or where oneDNN 3 cannot load or
 * {@code crossl.convolution=libnd4j} says so ({@link OneDnn}), on libnd4j's
 * {@code conv1d}/{@code conv1d_bp}. A layer built with {@code inputGradient = false} (the first
 * layer of an encoder, whose input is data) skips the input gradient and returns {@code null} from
 * its backward pass, on the oneDNN path.
 */
public final class Conv1d implements Layer {
    private final int kernel;
    private final boolean inputGradient;
    private final Parameter weight;
    private final Parameter bias;
    private final Conv1dKernel fast;

    public Conv1d(String name, int inChannels, int outChannels, int kernel, DataType type, SplittableRandom rng) {
        this(name, inChannels, outChannels, kernel, type, rng, true);
    }

    /**
     * @param inputGradient whether the backward pass returns dL/dx; {@code false} for a layer whose
     *                      input is data
     */
    public Conv1d(String name, int inChannels, int outChannels, int kernel, DataType type, SplittableRandom rng, boolean inputGradient) {
        if (kernel < 1 || inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("conv1d needs positive kernel and channel counts");
        }
        this.kernel = kernel;
        this.inputGradient = inputGradient;
        this.fast = type == DataType.FLOAT && OneDnn.enabled() ? new Conv1dKernel(inChannels, outChannels, kernel) : null;
        this.weight = new Parameter(name + ".weight",
                Init.glorotUniform(rng, type, (long) kernel * inChannels, (long) kernel * outChannels, kernel, inChannels, outChannels), true);
        this.bias = new Parameter(name + ".bias", Nd4j.create(type, outChannels), false);
    }

    public int kernel() {
        return kernel;
    }

    public int outChannels() {
        return (int) weight.value().size(2);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public Forward forward(INDArray input, Pass pass) {
        INDArray x = Contiguous.rowMajor(input);
        long b = x.size(0);
        long t = x.size(1);
        INDArray w = weight.value();
        INDArray y = Nd4j.createUninitialized(x.dataType(), b, t, w.size(2));
        boolean direct = fast != null && x.dataType() == DataType.FLOAT && b > 0 && t > 0;
        long t0 = Profiling.start();
        if (direct) {
            fast.forward(x, w, bias.value(), y);
        } else {
            Nd4j.exec(DynamicCustomOp.builder("conv1d")
                    .addInputs(x, w, bias.value())
                    .addOutputs(y)
                    .addIntegerArguments(kernel, 1, 0, 1, 1, 1) // kW, sW, pW, dW, SAME, NWC
                    .build());
        }
        if (Profiling.enabled()) {
            Profiling.stop("conv1d forward " + x.size(2) + "->" + w.size(2) + " k" + kernel, t0);
        }
        return Forward.of(y, gradOut -> {
            long t1 = Profiling.start();
            INDArray g = Contiguous.rowMajor(gradOut);
            INDArray gx;
            INDArray gw = w.ulike();
            INDArray gb = bias.value().ulike();
            if (direct) {
                fast.backwardWeights(x, g, gw, gb);
                gx = inputGradient ? x.ulike() : null;
                if (gx != null) {
                    fast.backwardData(g, w, gx);
                }
            } else {
                gx = x.ulike();
                Nd4j.exec(DynamicCustomOp.builder("conv1d_bp")
                        .addInputs(x, w, bias.value(), g)
                        .addOutputs(gx, gw, gb)
                        .addIntegerArguments(kernel, 1, 0, 1, 1, 1)
                        .build());
                if (!inputGradient) {
                    gx = null;
                }
            }
            weight.grad().addi(gw);
            bias.grad().addi(gb);
            if (Profiling.enabled()) {
                Profiling.stop("conv1d backward " + x.size(2) + "->" + w.size(2) + " k" + kernel, t1);
            }
            return gx;
        });
    }

    /**
     * Which path float32 convolutions take in this process: "oneDNN 3.11.0 (direct, channels-last)",
     * or libnd4j's and why. For run records and benchmark output.
     */
    public static String backend() {
        return OneDnn.describe();
    }

    /** Whether this layer runs on oneDNN 3 for float32 inputs. */
    public boolean direct() {
        return fast != null;
    }
}
