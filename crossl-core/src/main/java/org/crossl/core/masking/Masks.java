package org.crossl.core.masking;

import java.util.SplittableRandom;

/** Small helpers shared by the maskers: choosing which of n units to hide. */
final class Masks {
    private Masks() {
    }

    /** Presence {@code [B, M]} as a flat row-major float array. */
    static float[] presence(org.crossl.api.MaskContext ctx) {
        return ctx.presence().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    /**
     * Writes the indices of sample {@code b}'s present modalities into {@code out}; returns how many.
     */
    static int presentModalities(float[] presence, int b, int m, int[] out) {
        int p = 0;
        for (int j = 0; j < m; j++) {
            if (presence[b * m + j] > 0) {
                out[p++] = j;
            }
        }
        return p;
    }

    /**
     * Marks hidden units among n: {@code hidden[i] = true}. Never hides all n (when n ≥ 1): in
     * Bernoulli mode an all-hidden draw gets one unit, chosen uniformly, revealed again.
     */
    static boolean[] choose(int n, double ratio, MaskMode mode, SplittableRandom rng) {
        boolean[] hidden = new boolean[n];
        if (n == 0) {
            return hidden;
        }
        if (mode == MaskMode.EXACT) {
            int k = Math.min((int) Math.round(ratio * n), n - 1);
            // Partial Fisher–Yates: the first k of a random permutation are hidden.
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            for (int i = 0; i < k; i++) {
                int j = i + rng.nextInt(n - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
                hidden[perm[i]] = true;
            }
            return hidden;
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            hidden[i] = rng.nextDouble() < ratio;
            if (hidden[i]) {
                count++;
            }
        }
        if (count == n) {
            hidden[rng.nextInt(n)] = false;
        }
        return hidden;
    }
}
