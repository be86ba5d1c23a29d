package org.crossl.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.nn.profile.Profiling;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LayerNorm} → {@link PReLU} → {@link Dropout} over the last axis, fused: the same function
 * and parameters as the three layers in a row, computed in one pass forward and one backward.
 *
 * <p>Forward, per row of C channels: {@code x̂ = (x − μ)/sqrt(σ² + ε)}, {@code y = γ⊙x̂ + β},
 * {@code a = max(y, 0) + α⊙min(y, 0)}, {@code out = a ⊙ m} (m the inverted-dropout multiplier in
 * training, 1 at inference; one bit per element, drawn from the pass's random stream, see
 * {@link DropoutBits}). Backward: {@code g_a = g ⊙ m}, {@code g_y = g_a ⊙ (y ≥ 0 ? 1 : α)},
 * {@code dα = Σ g_a ⊙ min(y, 0)}, {@code dγ = Σ g_y ⊙ x̂}, {@code dβ = Σ g_y},
 * {@code dx = (ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂)) / sqrt(σ²+ε)} with {@code ĝ = γ ⊙ g_y}.
 *
 * <p>Why: as separate ND4J ops the three layers cost about 18 full passes over the activations
 * and as many temporary arrays per layer, more than the convolutions around them. float32 runs a
 * Java kernel over the arrays' memory on as many threads as ND4J uses; it keeps x̂ (written over
 * the input when {@code overwriteInput}), the output and the mask, and one float per row. Other
 * types (float64 for gradient checks) run the three layers as ND4J ops, the reference this kernel
 * is tested against.
 *
 * <p>The float32 rows run on the Java Vector API ({@link NormActDropoutVector}) when the JVM was
 * started with {@code --add-modules jdk.incubator.vector} (as {@code ./crossl} and the tests do),
 * else on the scalar loops below; {@code -Dcrossl.vector=false} forces the scalar loops.
 *
 * <p>Parameters keep the names of the separate layers ({@code <norm>.gain}, {@code <norm>.bias},
 * {@code <prelu>.slope}), so models saved before the fusion load unchanged.
 */
public final class NormActDropout implements Layer {
    /** Whether the Java Vector API is there (and not switched off with {@code crossl.vector=false}). */
    public static final boolean VECTOR_API = vectorApi();
    /** The kernel in use; tests switch it to compare the two. */
    static volatile boolean vector = VECTOR_API;
    private final Parameter gain;
    private final Parameter shift;
    private final Parameter slope;
    private final double epsilon;
    private final double rate;
    private final boolean overwriteInput;
    private final boolean normOnly;
    private final Layer reference;

    /**
     * @param overwriteInput let the forward pass store x̂ in the input's memory (the caller must not
     *                       use the input afterwards; an encoder's convolution output qualifies)
     */
    public NormActDropout(String normName, String preluName, int channels, double epsilon, double initialSlope, double dropout,
                          boolean overwriteInput, DataType type) {
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropout);
        }
        this.gain = new Parameter(normName + ".gain", Nd4j.ones(type, channels), false);
        this.shift = new Parameter(normName + ".bias", Nd4j.zeros(type, channels), false);
        this.slope = new Parameter(preluName + ".slope", Nd4j.create(type, channels).assign(initialSlope), false);
        this.epsilon = epsilon;
        this.rate = dropout;
        this.overwriteInput = overwriteInput;
        this.normOnly = false;
        this.reference = new Sequential(List.of(LayerNorm.ops(gain, shift, epsilon), new PReLU(slope), new Dropout(dropout)));
    }

    /**
     * The kernel as a plain {@link LayerNorm} over {@code gain} and {@code shift}: the activation
     * is the identity (a slope of 1 that is not a parameter) and there is no dropout. This is
     * LayerNorm's float32 path, so that layer normalisation has one kernel.
     */
    static NormActDropout normOnly(Parameter gain, Parameter shift, double epsilon) {
        return new NormActDropout(gain, shift, epsilon);
    }

    private NormActDropout(Parameter gain, Parameter shift, double epsilon) {
        this.gain = gain;
        this.shift = shift;
        this.slope = new Parameter("identity.slope", Nd4j.ones(gain.value().dataType(), gain.value().length()), false);
        this.epsilon = epsilon;
        this.rate = 0;
        this.overwriteInput = false;
        this.normOnly = true;
        this.reference = LayerNorm.ops(gain, shift, epsilon);
    }

    private static boolean vectorApi() {
        if ("false".equalsIgnoreCase(System.getProperty("crossl.vector", "")) || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return NormActDropoutVector.lanes() > 0;
        } catch (LinkageError e) { // the module is there but not readable from here
            return false;
        }
    }

    @Override
    public List<Parameter> parameters() {
        return normOnly ? List.of(gain, shift) : List.of(gain, shift, slope);
    }

    @Override
    public Forward forward(INDArray input, Pass pass) {
        if (input.dataType() != DataType.FLOAT || gain.value().dataType() != DataType.FLOAT || !Contiguous.fitsIntIndexing(input)) {
            return reference.forward(input, pass);
        }
        DropoutBits bits = pass.isTraining() && rate > 0 ? new DropoutBits(pass.random().nextLong(), 1 - rate) : null;
        return fused(input, bits, pass.isTraining());
    }

    /**
     * The fused path with dropout drawn from {@code bits} (null: none). With {@code storeNormalised}
     * x̂ is kept for the backward pass (over the input when allowed); without it (inference) the
     * input is only read and a backward pass, if one is asked for, recomputes x̂ from it.
     */
    Forward fused(INDArray input, DropoutBits bits, boolean storeNormalised) {
        long t0 = Profiling.start();
        long[] shape = input.shape();
        int c = (int) shape[shape.length - 1];
        int n = (int) (input.length() / c);
        INDArray x = (overwriteInput || !storeNormalised) && Contiguous.isRowMajor(input)
                ? input.reshape('c', n, c) : input.dup('c').reshape('c', n, c);
        float[] mean = storeNormalised ? null : new float[n];
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n, c);
        float[] g = floats(gain.value());
        float[] b = floats(shift.value());
        float[] a = floats(slope.value());
        float[] inv = new float[n];
        FloatBuffer xb = Contiguous.floatBuffer(x);
        FloatBuffer ob = Contiguous.floatBuffer(out);
        long[] keep = bits == null ? null : bits.allocate(n, c);
        int xo = (int) x.offset();
        int oo = (int) out.offset();
        float eps = (float) epsilon;
        boolean v = vector && NormActDropoutVector.fits(c);
        ByteBuffer xbb = v ? bytes(x) : null;
        ByteBuffer obb = v ? bytes(out) : null;
        RowParallel.run(n, c, (from, to, part) -> {
            if (bits != null) {
                bits.draw(keep, c, from, to);
            }
            float scale = bits == null ? 1f : bits.scale();
            if (v) {
                NormActDropoutVector.forwardRows(xbb, xo, obb, oo, keep, scale, g, b, a, inv, mean, eps, c, from, to);
            } else {
                forwardRows(xb, xo, ob, oo, keep, scale, g, b, a, inv, mean, eps, c, from, to);
            }
        });
        Profiling.stop("norm-act-dropout forward", t0);
        return Forward.of(out.reshape('c', shape),
                gradOut -> backward(gradOut, x, keep, bits == null ? 1f : bits.scale(), g, b, a, inv, mean, shape));
    }

    /** @param mean null when {@code xhat} holds x̂; else {@code xhat} holds x and x̂ = (x − mean)·inv */
    private INDArray backward(INDArray gradOut, INDArray xhat, long[] keep, float scale, float[] g, float[] b, float[] a, float[] inv,
                              float[] mean, long[] shape) {
        long t0 = Profiling.start();
        int c = g.length;
        int n = (int) (xhat.length() / c);
        INDArray go = Contiguous.rowMajor(gradOut);
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, n, c);
        FloatBuffer xb = Contiguous.floatBuffer(xhat);
        FloatBuffer gb = Contiguous.floatBuffer(go);
        FloatBuffer ob = Contiguous.floatBuffer(gx);
        int xo = (int) xhat.offset();
        int go0 = (int) go.offset();
        int oo = (int) gx.offset();
        int parts = RowParallel.parts(n, c);
        float[][] acc = new float[parts][3 * c];
        if (vector && NormActDropoutVector.fits(c)) {
            ByteBuffer xbb = bytes(xhat);
            ByteBuffer gbb = bytes(go);
            ByteBuffer obb = bytes(gx);
            RowParallel.run(n, c, (from, to, part) ->
                    NormActDropoutVector.backwardRows(xbb, xo, gbb, go0, obb, oo, keep, scale, g, b, a, inv, mean, c, from, to, acc[part]));
        } else {
            RowParallel.run(n, c, (from, to, part) -> backwardRows(xb, xo, gb, go0, ob, oo, keep, scale, g, b, a, inv, mean, c, from, to, acc[part]));
        }
        float[] dGain = new float[c];
        float[] dShift = new float[c];
        float[] dSlope = new float[c];
        for (float[] p : acc) {
            for (int k = 0; k < c; k++) {
                dGain[k] += p[k];
                dShift[k] += p[c + k];
                dSlope[k] += p[2 * c + k];
            }
        }
        gain.grad().addi(Nd4j.createFromArray(dGain));
        shift.grad().addi(Nd4j.createFromArray(dShift));
        if (!normOnly) {
            slope.grad().addi(Nd4j.createFromArray(dSlope));
        }
        Profiling.stop("norm-act-dropout backward", t0);
        return gx.reshape('c', shape);
    }

    private static void forwardRows(FloatBuffer xb, int xo, FloatBuffer ob, int oo, long[] keep, float scale, float[] g, float[] b,
                                    float[] a, float[] inv, float[] mean, float eps, int c, int from, int to) {
        int words = DropoutBits.wordsPerRow(c);
        for (int r = from; r < to; r++) {
            int xr = xo + r * c;
            // four partial sums break the add-latency chain of a row's reductions
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int k = 0;
            for (; k + 3 < c; k += 4) {
                s0 += xb.get(xr + k);
                s1 += xb.get(xr + k + 1);
                s2 += xb.get(xr + k + 2);
                s3 += xb.get(xr + k + 3);
            }
            for (; k < c; k++) {
                s0 += xb.get(xr + k);
            }
            float mu = (s0 + s1 + s2 + s3) / c;
            float v0 = 0;
            float v1 = 0;
            float v2 = 0;
            float v3 = 0;
            k = 0;
            for (; k + 3 < c; k += 4) {
                float d0 = xb.get(xr + k) - mu;
                float d1 = xb.get(xr + k + 1) - mu;
                float d2 = xb.get(xr + k + 2) - mu;
                float d3 = xb.get(xr + k + 3) - mu;
                v0 += d0 * d0;
                v1 += d1 * d1;
                v2 += d2 * d2;
                v3 += d3 * d3;
            }
            for (; k < c; k++) {
                float d = xb.get(xr + k) - mu;
                v0 += d * d;
            }
            float iv = (float) (1.0 / Math.sqrt((v0 + v1 + v2 + v3) / c + eps));
            inv[r] = iv;
            if (mean != null) {
                mean[r] = mu;
            }
            int or = oo + r * c;
            int kr = r * words;
            for (k = 0; k < c; k++) {
                float xh = (xb.get(xr + k) - mu) * iv;
                if (mean == null) {
                    xb.put(xr + k, xh);
                }
                float y = g[k] * xh + b[k];
                float act = Math.max(y, 0f) + a[k] * Math.min(y, 0f);
                ob.put(or + k, keep == null ? act : act * DropoutBits.multiplier(keep, kr, k, scale));
            }
        }
    }

    private static void backwardRows(FloatBuffer xb, int xo, FloatBuffer gb, int go, FloatBuffer ob, int oo, long[] keep, float scale,
                                     float[] g, float[] b, float[] a, float[] inv, float[] mean, int c, int from, int to, float[] acc) {
        int words = DropoutBits.wordsPerRow(c);
        float[] gh = new float[c];
        // separate per-channel sums: one array per sum lets the compiler keep the loop free of aliasing
        float[] dGain = new float[c];
        float[] dShift = new float[c];
        float[] dSlope = new float[c];
        for (int r = from; r < to; r++) {
            int xr = xo + r * c;
            int gr = go + r * c;
            int kr = r * words;
            float m1 = 0;
            float m2 = 0;
            float mu = mean == null ? 0f : mean[r];
            float sc = mean == null ? 1f : inv[r];
            for (int k = 0; k < c; k++) {
                float xh = (xb.get(xr + k) - mu) * sc;
                float ga = keep == null ? gb.get(gr + k) : gb.get(gr + k) * DropoutBits.multiplier(keep, kr, k, scale);
                float y = g[k] * xh + b[k];
                // 1 for y ≥ +0, 0 for y ≤ −0, from the sign bit: a branch here mispredicts half the time
                float step = 1 - (Float.floatToRawIntBits(y) >>> 31);
                float gy = ga * (a[k] + (1f - a[k]) * step);
                dSlope[k] += ga * Math.min(y, 0f);
                dGain[k] += gy * xh;
                dShift[k] += gy;
                float q = gy * g[k];
                gh[k] = q;
                m1 += q;
                m2 += q * xh;
            }
            m1 /= c;
            m2 /= c;
            float iv = inv[r];
            int or = oo + r * c;
            for (int k = 0; k < c; k++) {
                ob.put(or + k, (gh[k] - m1 - (xb.get(xr + k) - mu) * sc * m2) * iv);
            }
        }
        for (int k = 0; k < c; k++) {
            acc[k] += dGain[k];
            acc[c + k] += dShift[k];
            acc[2 * c + k] += dSlope[k];
        }
    }

    private static float[] floats(INDArray v) {
        return v.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** The array's memory as a native-order byte buffer, indexed from the buffer's start (add {@code 4·offset()}). */
    private static ByteBuffer bytes(INDArray x) {
        return x.data().asNio().order(ByteOrder.nativeOrder());
    }

}
