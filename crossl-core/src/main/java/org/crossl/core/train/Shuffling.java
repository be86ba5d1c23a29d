package org.crossl.core.train;

import java.util.SplittableRandom;

/** Index ranges and seeded permutations for batching. */
public final class Shuffling {
    private Shuffling() {
    }

    /** {@code start, start+1, …, end−1}. */
    public static int[] range(int start, int end) {
        int[] idx = new int[end - start];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = start + i;
        }
        return idx;
    }

    /** A uniform random permutation of {@code 0 … n−1} (Fisher–Yates) drawn from {@code rng}. */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = range(0, n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
