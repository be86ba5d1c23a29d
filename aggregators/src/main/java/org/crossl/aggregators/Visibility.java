package org.crossl.aggregators;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which modality tokens of a batch are visible, as a compact list of tokens grouped by sample.
 *
 * <p>Visible token {@code t} ({@code 0 ≤ t < count()}) is modality {@link #modality(int)} of its
 * sample; tokens are grouped by sample, in sample then modality order. Aggregators that respect
 * the mask work on these tokens only: a hidden or absent modality's embedding is never read, so
 * its values cannot change the output and it receives exactly zero gradient.
 */
final class Visibility {
    private final int batch;
    private final int modalities;
    private final int[] flat; // token -> b·M + m

    private Visibility(int batch, int modalities, int[] flat) {
        this.batch = batch;
        this.modalities = modalities;
        this.flat = flat;
    }

    /**
     * Reads {@code visible [B, M]} (0/1). Throws {@link IllegalArgumentException} for a wrong shape,
     * a value other than 0 or 1, or a sample with no visible modality (the maskers never produce one;
     * there would be nothing to aggregate).
     */
    static Visibility of(INDArray visible, long batch, int modalities, String who) {
        if (visible == null || visible.rank() != 2 || visible.size(0) != batch || visible.size(1) != modalities) {
            throw new IllegalArgumentException(who + " expects visible [" + batch + ", " + modalities + "], got "
                    + (visible == null ? "null" : Arrays.toString(visible.shape())));
        }
        double[] v = doubles(visible);
        int b = (int) batch;
        int[] flat = new int[b * modalities];
        int t = 0;
        for (int i = 0; i < b; i++) {
            int first = t;
            for (int m = 0; m < modalities; m++) {
                double x = v[i * modalities + m];
                if (x == 1) {
                    flat[t++] = i * modalities + m;
                } else if (x != 0) {
                    throw new IllegalArgumentException(who + ": visible must hold 0 or 1, got " + x + " at [" + i + ", " + m + "]");
                }
            }
            if (t == first) {
                throw new IllegalArgumentException(who + ": sample " + i + " of the batch has no visible modality;"
                        + " at least one must be visible to aggregate");
            }
        }
        return new Visibility(b, modalities, Arrays.copyOf(flat, t));
    }

    int batch() {
        return batch;
    }

    /** Number of visible tokens in the batch. */
    int count() {
        return flat.length;
    }

    int modality(int token) {
        return flat[token] % modalities;
    }

    /** {@code [B, M, D] -> [count, D]}: the visible rows only, in the input's data type. */
    INDArray gather(INDArray embeddings) {
        long d = embeddings.size(2);
        if (flat.length == 0) { // an empty batch: ND4J's row pull refuses an empty index list
            return Nd4j.create(embeddings.dataType(), 0, d);
        }
        return Nd4j.pullRows(embeddings.reshape('c', (long) batch * modalities, d), 1, flat);
    }

    /**
     * {@code [count, D] -> [B, M, D]} with zero rows for the invisible modalities, in the input's data
     * type: a gather from the tokens plus one zero row, which every invisible position reads.
     */
    INDArray scatter(INDArray tokens) {
        long d = tokens.size(1);
        if (flat.length == 0) {
            return Nd4j.create(tokens.dataType(), batch, modalities, d);
        }
        INDArray padded = Nd4j.concat(0, tokens, Nd4j.zeros(tokens.dataType(), 1, d));
        return Nd4j.pullRows(padded, 1, positions()).reshape('c', batch, modalities, d);
    }

    /** {@code [M, count]}, 1 where token t is modality m: sums per modality are {@code onehot · tokens}. */
    INDArray modalityOneHot(DataType type) {
        INDArray s = Nd4j.zeros(type, modalities, flat.length);
        for (int t = 0; t < flat.length; t++) {
            s.putScalar(modality(t), t, 1.0);
        }
        return s;
    }

    /** Position b·M + m -> its token, or {@code count()} (the zero row) when invisible. */
    private int[] positions() {
        int[] pos = new int[batch * modalities];
        Arrays.fill(pos, flat.length);
        for (int t = 0; t < flat.length; t++) {
            pos[flat[t]] = t;
        }
        return pos;
    }

    /** The elements of x in row-major order, as doubles (a copy). */
    static double[] doubles(INDArray x) {
        return x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    static INDArray array(double[] values, DataType type, long... shape) {
        INDArray a = Nd4j.create(values, shape, DataType.DOUBLE);
        return type == DataType.DOUBLE ? a : a.castTo(type);
    }
}
