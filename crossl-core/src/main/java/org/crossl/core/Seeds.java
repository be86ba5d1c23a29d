package org.crossl.core;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One root seed, independent named streams: {@code stream(seed, "init/encoder/acc")}. Changing how
 * much one stream draws (a bigger encoder, another masker) never moves the others, so ablations
 * differ only where they should.
 */
public final class Seeds {
    private Seeds() {
    }

    public static SplittableRandom stream(long seed, String purpose) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        return new SplittableRandom(mix(h));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
