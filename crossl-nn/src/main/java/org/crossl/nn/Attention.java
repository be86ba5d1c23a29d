package org.crossl.nn;

import java.nio.FloatBuffer;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The multi-head scaled dot-product attention core (Vaswani et al. 2017), without the projections:
 * the one attention kernel of the library, used by the transformer encoder's
 * {@code MultiHeadSelfAttention} and by the attention aggregator, each of which keeps its own
 * projection parameters (and so its saved-model layout).
 *
 * <p>Input {@code qkv [G·T, 3W]}: G groups of T consecutive tokens (a group is one sample); the
 * columns are Q, K and V side by side, each split into H heads of {@code d = W/H} consecutive
 * channels. A token attends only to the tokens of its own group. Per group and head:
 * <pre>
 *   S = Q_h·K_hᵀ / sqrt(d)          [T, T]
 *   S_ij = −∞ where key j is masked  (weight exactly 0)
 *   P = softmax(S) over the keys     O_h = P·V_h
 * </pre>
 * and the heads are concatenated: output {@code o [G·T, W]}.
 *
 * <p>Backward: {@code dV_h = Pᵀ·dO_h}, {@code dP = dO_h·V_hᵀ}, softmax backward
 * {@code dS = P ⊙ (dP − Σ_keys dP ⊙ P)}, {@code dQ_h = dS·K_h / sqrt(d)},
 * {@code dK_h = dSᵀ·Q_h / sqrt(d)}; the result is {@code d(qkv) [G·T, 3W]}. A masked key has
 * {@code P = 0}, so its K and V rows get exactly zero gradient.
 *
 * <p>The key mask {@code [G, T]} (0/1, or null for none) must leave every group at least one key.
 * A masked token's own query row is computed like any other; callers that ignore such tokens'
 * outputs give them zero gradient, and then their Q rows get zero gradient too.
 *
 * <p>Speed: heads are split and merged with one permuted copy each, for Q, K and V at once; the
 * per-head products are batched ND4J matmuls over {@code [G·H, T, d]}; the mask and the softmax
 * backward are Java loops over float32 memory (float64, used by gradient checks, takes ND4J ops).
 */
public final class Attention {
    /** Score of a masked key: exp(MASKED − max) is exactly 0 in float32 and float64 for any finite max. */
    private static final double MASKED = -1e30;

    private Attention() {
    }

    /**
     * @param qkv     {@code [G·T, 3W]}, Q, K and V side by side
     * @param groups  G
     * @param tokens  T, tokens per group
     * @param heads   H, dividing W
     * @param keyMask {@code [G, T]} of 0/1 (1 = may be attended to), or null
     * @return {@code o [G·T, W]}; its backward takes {@code dL/do} and returns {@code dL/d(qkv)}
     */
    public static Forward forward(INDArray qkv, int groups, int tokens, int heads, INDArray keyMask) {
        if (qkv.rank() != 2 || qkv.size(0) != (long) groups * tokens || qkv.size(1) % 3 != 0) {
            throw new IllegalArgumentException("attention expects qkv [" + groups + "·" + tokens + ", 3W], got "
                    + java.util.Arrays.toString(qkv.shape()));
        }
        int width = (int) (qkv.size(1) / 3);
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("attention width " + width + " must be divisible by heads " + heads);
        }
        if (keyMask != null && (keyMask.rank() != 2 || keyMask.size(0) != groups || keyMask.size(1) != tokens)) {
            throw new IllegalArgumentException("attention expects a key mask [" + groups + ", " + tokens + "], got "
                    + java.util.Arrays.toString(keyMask.shape()));
        }
        Shape s = new Shape(groups, tokens, heads, width);
        long rows = (long) s.gh() * tokens;
        INDArray split = s.split(qkv, 3); // [3, G·H, T, d]
        INDArray q = split.get(NDArrayIndex.point(0));
        INDArray k = split.get(NDArrayIndex.point(1));
        INDArray v = split.get(NDArrayIndex.point(2));
        INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(s.scale()); // [G·H, T, T]
        if (keyMask != null) {
            mask(scores, keyMask, s);
        }
        INDArray p = Nd4j.createUninitialized(scores.dataType(), scores.shape());
        Nd4j.exec(new SoftMax(scores.reshape('c', rows, tokens), p.reshape('c', rows, tokens), 1));
        INDArray o = s.merge(Nd4j.matmul(p, v), 1); // [G·T, W]
        return Forward.of(o, g -> {
            INDArray dO = s.split(g, 1).reshape('c', s.gh(), tokens, s.headWidth());
            INDArray grads = Nd4j.createUninitialized(qkv.dataType(), 3, s.gh(), tokens, s.headWidth()); // dQ, dK, dV
            Nd4j.matmul(p, dO, grads.get(NDArrayIndex.point(2)), true, false, false);
            INDArray dP = Nd4j.matmul(dO, v, false, true, false);
            softmaxBackward(p.reshape('c', rows, tokens), dP.reshape('c', rows, tokens), s.scale()); // dP := dS / sqrt(d)
            Nd4j.matmul(dP, k, grads.get(NDArrayIndex.point(0)), false, false, false);
            Nd4j.matmul(dP, q, grads.get(NDArrayIndex.point(1)), true, false, false);
            return s.merge(grads, 3);
        });
    }

    /** Sizes of one call, and the head split and merge. */
    private record Shape(int groups, int tokens, int heads, int width) {
        int headWidth() {
            return width / heads;
        }

        int gh() {
            return groups * heads;
        }

        double scale() {
            return 1 / Math.sqrt(headWidth());
        }

        /** {@code [G·T, m·W] -> [m, G·H, T, d]} (a copy): m projections side by side, split into heads. */
        INDArray split(INDArray rows, int m) {
            return Contiguous.rowMajor(rows).reshape('c', groups, tokens, m, heads, headWidth()).permute(2, 0, 3, 1, 4).dup('c')
                    .reshape('c', m, (long) gh(), tokens, headWidth());
        }

        /** {@code [m, G·H, T, d] -> [G·T, m·W]} (a copy), the inverse of {@link #split}. */
        INDArray merge(INDArray perHead, int m) {
            return Contiguous.rowMajor(perHead).reshape('c', m, groups, heads, tokens, headWidth()).permute(1, 3, 0, 2, 4)
                    .dup('c').reshape('c', (long) groups * tokens, (long) m * width);
        }
    }

    /** In place: scores {@code [G·H, T, T]} of masked keys set to {@link #MASKED}. */
    private static void mask(INDArray scores, INDArray keyMask, Shape s) {
        int t = s.tokens();
        float[] m = keyMask.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int g = 0; g < s.groups(); g++) {
            boolean any = false;
            for (int j = 0; j < t; j++) {
                float x = m[g * t + j];
                if (x != 0 && x != 1) {
                    throw new IllegalArgumentException("attention key mask must hold 0 or 1, got " + x + " at [" + g + ", " + j + "]");
                }
                any |= x == 1;
            }
            if (!any) {
                throw new IllegalArgumentException("attention key mask leaves group " + g + " with no key");
            }
        }
        if (scores.dataType() == DataType.FLOAT && Contiguous.isRowMajor(scores) && Contiguous.fitsIntIndexing(scores)) {
            FloatBuffer sb = Contiguous.floatBuffer(scores);
            int base = (int) scores.offset();
            for (int gh = 0; gh < s.gh(); gh++) {
                int g = gh / s.heads();
                for (int j = 0; j < t; j++) {
                    if (m[g * t + j] == 0) {
                        for (int i = 0; i < t; i++) {
                            sb.put(base + (gh * t + i) * t + j, (float) MASKED);
                        }
                    }
                }
            }
            return;
        }
        for (int gh = 0; gh < s.gh(); gh++) {
            int g = gh / s.heads();
            for (int j = 0; j < t; j++) {
                if (m[g * t + j] == 0) {
                    scores.get(NDArrayIndex.point(gh), NDArrayIndex.all(), NDArrayIndex.point(j)).assign(MASKED);
                }
            }
        }
    }

    /** In place: {@code dP := scale · P ⊙ (dP − Σ_row dP ⊙ P)} over rows of {@code [N, T]}. */
    static void softmaxBackward(INDArray p, INDArray dP, double scale) {
        boolean floats = p.dataType() == DataType.FLOAT && dP.dataType() == DataType.FLOAT;
        if (!floats || !Contiguous.fitsIntIndexing(p) || !Contiguous.fitsIntIndexing(dP)
                || !Contiguous.isRowMajor(p) || !Contiguous.isRowMajor(dP)) {
            INDArray rowDot = dP.mul(p).sum(true, 1);
            dP.subiColumnVector(rowDot).muli(p).muli(scale);
            return;
        }
        int n = (int) p.size(0);
        int t = (int) p.size(1);
        FloatBuffer pb = Contiguous.floatBuffer(p);
        FloatBuffer gb = Contiguous.floatBuffer(dP);
        int po = (int) p.offset();
        int go = (int) dP.offset();
        float sc = (float) scale;
        for (int r = 0; r < n; r++) {
            int pr = po + r * t;
            int gr = go + r * t;
            float dot = 0;
            for (int j = 0; j < t; j++) {
                dot += gb.get(gr + j) * pb.get(pr + j);
            }
            for (int j = 0; j < t; j++) {
                gb.put(gr + j, sc * pb.get(pr + j) * (gb.get(gr + j) - dot));
            }
        }
    }
}
