package org.example.dwconv;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.autodiff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A depthwise-separable CNN for one modality, written against the CroSSL API and ND4J only. Block l
 * maps {@code h [B, T, C_in]} to {@code [B, T, C_out]}:
 * <pre>
 *   d[b,t,c] = Σ_j w[j,c] · h[b, t + j − p, c]       (depthwise, kernel K, zero 'same' padding p = (K−1)/2)
 *   y[b,t,:] = relu(d[b,t,:] · W + bias)              (pointwise, W [C_in, C_out])
 * </pre>
 * The latent sequence keeps the input's length; the default mask-aware mean pool gives Q_m.
 *
 * <p>Two ways to get the gradient, chosen by {@code backward:} in the config. {@code manual}: each
 * block's backward is written out below (as long as its forward). {@code autodiff}: each block's
 * forward is {@link #define written once as SameDiff ops} and crossl-nn's {@link SameDiffLayer}
 * derives the backward. Same parameters, same outputs, same gradients to rounding; see
 * {@code docs/writing-a-plugin.md} for what each costs.
 */
public final class DwConvEncoder implements Encoder {
    private final ModalitySpec modality;
    private final int kernel;
    private final List<Parameter[]> blocks = new ArrayList<>(); // {depthwise [K, C_in], pointwise [C_in, C_out], bias [1, C_out]}
    private final List<Parameter> parameters = new ArrayList<>();
    private final int codeSize;
    private final List<SameDiffLayer> autodiff; // null: the hand-written backward

    public DwConvEncoder(ModalitySpec modality, DwConvConfig config, DataType type, SplittableRandom init) {
        this.modality = modality;
        this.kernel = config.kernel();
        int in = modality.channels();
        for (int l = 0; l < config.widths().size(); l++) {
            int out = config.widths().get(l);
            Parameter dw = new Parameter("block" + l + ".depthwise", gaussian(type, init, Math.sqrt(1.0 / kernel), kernel, in), true);
            Parameter pw = new Parameter("block" + l + ".pointwise", gaussian(type, init, Math.sqrt(2.0 / in), in, out), true);
            Parameter b = new Parameter("block" + l + ".bias", Nd4j.zeros(type, 1, out), false);
            blocks.add(new Parameter[]{dw, pw, b});
            parameters.addAll(List.of(dw, pw, b));
            in = out;
        }
        this.codeSize = in;
        this.autodiff = config.backward().equals("autodiff")
                ? blocks.stream().map(p -> SameDiffLayer.of(List.of(p), this::define)).toList() : null;
    }

    private static INDArray gaussian(DataType type, SplittableRandom init, double std, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = init.nextGaussian() * std; // from the given stream only, so one seed fixes every weight
        }
        return Nd4j.create(v, new long[]{rows, cols}, DataType.DOUBLE).castTo(type);
    }

    @Override
    public ModalitySpec modality() {
        return modality;
    }

    @Override
    public int codeSize() {
        return codeSize;
    }

    @Override
    public int latentLength(int inputLength) {
        return inputLength;
    }

    @Override
    public Forward encode(INDArray x, Pass pass) {
        if (x.rank() != 3 || x.size(2) != modality.channels()) {
            throw new IllegalArgumentException("dwconv encoder of '" + modality.name() + "' expects [B, T, " + modality.channels()
                    + "], got " + java.util.Arrays.toString(x.shape()));
        }
        List<Forward> steps = new ArrayList<>();
        INDArray h = x.castTo(parameters.get(0).value().dataType());
        for (int l = 0; l < blocks.size(); l++) {
            Forward f = autodiff != null ? autodiff.get(l).forward(h, pass) : block(h, blocks.get(l));
            steps.add(f);
            h = f.output();
        }
        return Forward.of(h, g -> {
            for (int i = steps.size() - 1; i >= 0; i--) {
                g = steps.get(i).backward(g);
            }
            return null; // raw windows need no gradient
        });
    }

    private Forward block(INDArray h, Parameter[] p) {
        long b = h.size(0);
        long t = h.size(1);
        long c = h.size(2);
        int pad = (kernel - 1) / 2;
        INDArray padded = Nd4j.zeros(h.dataType(), b, t + kernel - 1, c);
        padded.get(NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + t), NDArrayIndex.all()).assign(h);
        INDArray w = p[0].value();
        INDArray d = Nd4j.zeros(h.dataType(), b, t, c);
        for (int j = 0; j < kernel; j++) {
            d.addi(shifted(padded, j, t).mul(w.getRow(j).reshape(1, 1, c)));
        }
        INDArray flat = d.reshape('c', b * t, c);
        INDArray pre = flat.mmul(p[1].value()).addiRowVector(p[2].value());
        INDArray active = pre.gt(0).castTo(pre.dataType()); // relu'(pre)
        INDArray y = pre.mul(active).reshape('c', b, t, pre.size(1));
        return Forward.of(y, gy -> {
            INDArray gPre = gy.dup('c').reshape(b * t, pre.size(1)).muli(active);
            p[1].accumulate(flat.transpose().mmul(gPre));
            p[2].accumulate(gPre.sum(true, 0));
            INDArray gd = gPre.mmul(p[1].value().transpose()).reshape('c', b, t, c);
            INDArray gPadded = Nd4j.zeros(h.dataType(), b, t + kernel - 1, c);
            INDArray gw = Nd4j.zeros(h.dataType(), kernel, c);
            for (int j = 0; j < kernel; j++) {
                gw.getRow(j).assign(gd.mul(shifted(padded, j, t)).sum(0, 1));
                shifted(gPadded, j, t).addi(gd.mul(w.getRow(j).reshape(1, 1, c)));
            }
            p[0].accumulate(gw);
            return gPadded.get(NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + t), NDArrayIndex.all()).dup();
        });
    }

    /**
     * The forward of one block as SameDiff ops, for {@code backward: autodiff}: the same arithmetic
     * as {@link #block}, with no backward written. The shapes are known: {@link SameDiffLayer}
     * builds a graph per input shape.
     */
    private SDVariable define(SameDiff sd, SDVariable h, List<SDVariable> p) {
        long[] s = h.getShape(); // [B, T, C]
        long b = s[0];
        long t = s[1];
        long c = s[2];
        // time as the height of a width-1 image: the depthwise kernel [K, C] becomes [K, 1, C, 1]; SAME
        // padding of an odd kernel is (K − 1)/2 on both sides, as above
        Conv2DConfig conv = Conv2DConfig.builder().kH(kernel).kW(1).sH(1).sW(1).paddingMode(PaddingMode.SAME).dataFormat("NHWC").build();
        SDVariable d = sd.cnn().depthWiseConv2d(h.reshape(b, t, 1, c), p.get(0).reshape(kernel, 1, c, 1), conv);
        SDVariable pre = d.reshape(b * t, c).mmul(p.get(1)).add(p.get(2));
        return sd.nn().relu(pre, 0).reshape(b, t, -1);
    }

    private static INDArray shifted(INDArray padded, int j, long t) {
        return padded.get(NDArrayIndex.all(), NDArrayIndex.interval(j, j + t), NDArrayIndex.all());
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }
}
