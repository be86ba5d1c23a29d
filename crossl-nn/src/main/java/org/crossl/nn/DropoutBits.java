package org.crossl.nn;

/**
 * Inverted-dropout decisions as bits: bit k of row r says whether element (r, k) is kept. One bit
 * instead of a float multiplier per element, drawn inside the fused kernel: row r's bits come from
 * SplitMix64 seeded with {@code seed} and r, so they do not depend on how rows are split over
 * threads, and a pass replays exactly from its seed. Rows start on a 64-bit word, so threads
 * filling different rows never write the same word.
 */
final class DropoutBits {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final double keep;
    private final long threshold;
    private final float scale;

    /**
     * @param seed the layer's draw for this pass
     * @param keep probability of keeping an element, in (0, 1]
     */
    DropoutBits(long seed, double keep) {
        this.seed = seed;
        this.keep = keep;
        this.threshold = (long) Math.floor(keep * (1L << 32)); // keep when a uniform 32-bit value is below
        this.scale = (float) (1.0 / keep);
    }

    /** 1/keep, the multiplier of kept elements. */
    float scale() {
        return scale;
    }

    double keep() {
        return keep;
    }

    static int wordsPerRow(int c) {
        return (c + 63) >>> 6;
    }

    long[] allocate(int rows, int c) {
        return new long[rows * wordsPerRow(c)];
    }

    /** Fills the bits of rows {@code [from, to)}. */
    void draw(long[] bits, int c, int from, int to) {
        int words = wordsPerRow(c);
        for (int r = from; r < to; r++) {
            // each row starts from its own hashed state: rows stepping through one sequence at a fixed
            // spacing would repeat each other's bits whenever a row needs more draws than the spacing
            long state = mix(seed ^ mix((r + 1) * GOLDEN));
            int base = r * words;
            for (int k = 0; k < c; k += 2) {
                state += GOLDEN;
                long z = mix(state);
                if ((z >>> 32) < threshold) {
                    bits[base + (k >>> 6)] |= 1L << (k & 63);
                }
                if (k + 1 < c && (z & 0xFFFFFFFFL) < threshold) {
                    bits[base + ((k + 1) >>> 6)] |= 1L << ((k + 1) & 63);
                }
            }
        }
    }

    /** {@code scale} where element k of the row starting at word {@code rowWord} is kept, else 0. */
    static float multiplier(long[] bits, int rowWord, int k, float scale) {
        return ((bits[rowWord + (k >>> 6)] >>> (k & 63)) & 1L) * scale; // no branch: drops are unpredictable
    }

    /** The multipliers as an {@code [n, c]} array (for tests against the unfused layers). */
    org.nd4j.linalg.api.ndarray.INDArray toMask(int n, int c) {
        long[] bits = allocate(n, c);
        draw(bits, c, 0, n);
        float[] m = new float[n * c];
        int words = wordsPerRow(c);
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < c; k++) {
                m[r * c + k] = multiplier(bits, r * words, k, scale);
            }
        }
        return org.nd4j.linalg.factory.Nd4j.create(m, new long[] {n, c}, 'c');
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
