package org.crossl.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The rows of {@link NormActDropout}'s fused kernel on the Java Vector API (an incubator module in
 * Java 17: loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector}, see
 * {@link NormActDropout#VECTOR_API}). The same arithmetic as the scalar rows, eight channels at a
 * time, for rows whose width is a multiple of eight ({@link #fits}: the model's 24/48/96); other
 * widths run the scalar rows. Sums are accumulated in another order than the scalar kernel's, so
 * results agree to float rounding.
 *
 * <p>Eight lanes (256 bits), not the widest species: every channel count of the reference model is
 * a multiple of eight, so no row needs a masked tail, and the same code runs on AVX2 machines.
 */
final class NormActDropoutVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final IntVector LANE = IntVector.fromArray(I, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0);

    private NormActDropoutVector() {
    }

    /**
     * The lanes this kernel uses, or 0 where the CPU has no 256-bit vectors (pre-AVX2 x86, 128-bit
     * NEON): there the Vector API would run its boxed Java fallback, slower than the scalar loops.
     * Fails fast (NoClassDefFoundError) where the module is absent.
     */
    static int lanes() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= S.vectorBitSize() ? L : 0;
    }

    /** Whether rows of {@code c} channels run here: whole vectors, no tail. */
    static boolean fits(int c) {
        return c % L == 0;
    }

    /** As the scalar forward rows; {@code xb} and {@code ob} are byte buffers, offsets in floats. */
    static void forwardRows(ByteBuffer xb, int xo, ByteBuffer ob, int oo, long[] keep, float scale, float[] g, float[] b, float[] a,
                            float[] inv, float[] mean, float eps, int c, int from, int to) {
        int words = DropoutBits.wordsPerRow(c);
        FloatVector zero = FloatVector.zero(S);
        for (int r = from; r < to; r++) {
            int xr = (xo + r * c) * 4;
            FloatVector acc = zero;
            for (int k = 0; k < c; k += L) {
                acc = acc.add(FloatVector.fromByteBuffer(S, xb, xr + 4 * k, ORDER));
            }
            float mu = acc.reduceLanes(VectorOperators.ADD) / c;
            acc = zero;
            for (int k = 0; k < c; k += L) {
                FloatVector d = FloatVector.fromByteBuffer(S, xb, xr + 4 * k, ORDER).sub(mu);
                acc = d.fma(d, acc);
            }
            float v = acc.reduceLanes(VectorOperators.ADD);
            float iv = (float) (1.0 / Math.sqrt(v / c + eps));
            inv[r] = iv;
            if (mean != null) {
                mean[r] = mu;
            }
            int or = (oo + r * c) * 4;
            int kr = r * words;
            for (int k = 0; k < c; k += L) {
                FloatVector xh = FloatVector.fromByteBuffer(S, xb, xr + 4 * k, ORDER).sub(mu).mul(iv);
                if (mean == null) {
                    xh.intoByteBuffer(xb, xr + 4 * k, ORDER);
                }
                FloatVector y = xh.fma(FloatVector.fromArray(S, g, k), FloatVector.fromArray(S, b, k));
                FloatVector act = y.max(0f).add(y.min(0f).mul(FloatVector.fromArray(S, a, k)));
                if (keep != null) {
                    act = act.mul(multiplier(keep, kr, k, scale));
                }
                act.intoByteBuffer(ob, or + 4 * k, ORDER);
            }
        }
    }

    /** As the scalar backward rows; per-channel sums go to {@code acc} ([dGain | dShift | dSlope]). */
    static void backwardRows(ByteBuffer xb, int xo, ByteBuffer gb, int go, ByteBuffer ob, int oo, long[] keep, float scale,
                             float[] g, float[] b, float[] a, float[] inv, float[] mean, int c, int from, int to, float[] acc) {
        int words = DropoutBits.wordsPerRow(c);
        float[] gh = new float[c];
        float[] dGain = new float[c];
        float[] dShift = new float[c];
        float[] dSlope = new float[c];
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = from; r < to; r++) {
            int xr = (xo + r * c) * 4;
            int gr = (go + r * c) * 4;
            int kr = r * words;
            float mu = mean == null ? 0f : mean[r];
            float sc = mean == null ? 1f : inv[r];
            FloatVector m1v = zero;
            FloatVector m2v = zero;
            for (int k = 0; k < c; k += L) {
                FloatVector xh = FloatVector.fromByteBuffer(S, xb, xr + 4 * k, ORDER).sub(mu).mul(sc);
                FloatVector ga = FloatVector.fromByteBuffer(S, gb, gr + 4 * k, ORDER);
                if (keep != null) {
                    ga = ga.mul(multiplier(keep, kr, k, scale));
                }
                FloatVector gk = FloatVector.fromArray(S, g, k);
                FloatVector ak = FloatVector.fromArray(S, a, k);
                FloatVector y = xh.fma(gk, FloatVector.fromArray(S, b, k));
                // slope where the sign bit is set (y ≤ −0), 1 elsewhere: the scalar kernel's step
                VectorMask<Float> negative = y.reinterpretAsInts().compare(VectorOperators.LT, 0).cast(S);
                FloatVector gy = ga.mul(one.blend(ak, negative));
                FloatVector.fromArray(S, dSlope, k).add(ga.mul(y.min(0f))).intoArray(dSlope, k);
                FloatVector.fromArray(S, dGain, k).add(gy.mul(xh)).intoArray(dGain, k);
                FloatVector.fromArray(S, dShift, k).add(gy).intoArray(dShift, k);
                FloatVector q = gy.mul(gk);
                q.intoArray(gh, k);
                m1v = m1v.add(q);
                m2v = q.fma(xh, m2v);
            }
            float m1 = m1v.reduceLanes(VectorOperators.ADD) / c;
            float m2 = m2v.reduceLanes(VectorOperators.ADD) / c;
            float iv = inv[r];
            int or = (oo + r * c) * 4;
            for (int k = 0; k < c; k += L) {
                FloatVector xh = FloatVector.fromByteBuffer(S, xb, xr + 4 * k, ORDER).sub(mu).mul(sc);
                FloatVector.fromArray(S, gh, k).sub(m1).sub(xh.mul(m2)).mul(iv).intoByteBuffer(ob, or + 4 * k, ORDER);
            }
        }
        for (int k = 0; k < c; k++) {
            acc[k] += dGain[k];
            acc[c + k] += dShift[k];
            acc[2 * c + k] += dSlope[k];
        }
    }

    /**
     * The dropout multipliers of channels {@code k … k+7} of a row (scale where kept, else 0). Built
     * with shifts and an int-to-float conversion: a lane mask from the bits
     * ({@code VectorMask.fromLong}) is not intrinsified in Java 17 and allocated per call.
     */
    private static FloatVector multiplier(long[] keep, int rowWord, int k, float scale) {
        int bits = (int) (keep[rowWord + (k >>> 6)] >>> (k & 63));
        IntVector kept = IntVector.broadcast(I, bits).lanewise(VectorOperators.LSHR, LANE).and(1);
        return ((FloatVector) kept.convert(VectorOperators.I2F, 0)).mul(scale);
    }
}
