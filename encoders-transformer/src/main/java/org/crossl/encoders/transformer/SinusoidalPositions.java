package org.crossl.encoders.transformer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fixed sinusoidal positional encoding (Vaswani et al. 2017), no parameters, any length:
 * {@code PE[t, 2i] = sin(t·ω_i)}, {@code PE[t, 2i+1] = cos(t·ω_i)}, {@code ω_i = 10000^(−2i/W)},
 * for token t = 0 … T'−1 and channel pairs i = 0 … ⌈W/2⌉−1 (an odd last channel gets the sine).
 * Computed in float64, cast to the model's type, and cached per length.
 */
final class SinusoidalPositions {
    private final int width;
    private final DataType type;
    private final Map<Integer, INDArray> cache = new ConcurrentHashMap<>();

    SinusoidalPositions(int width, DataType type) {
        this.width = width;
        this.type = type;
    }

    /**
     * {@code [T', W]}; callers must not modify it. Created outside any ND4J workspace: the core runs
     * each step in one, and a cached array allocated there would be invalid in the next step.
     */
    INDArray table(int length) {
        return cache.computeIfAbsent(length, n -> {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return compute(n, width).castTo(type);
            }
        });
    }

    static INDArray compute(int length, int width) {
        double[] pe = new double[length * width];
        for (int t = 0; t < length; t++) {
            for (int c = 0; c < width; c++) {
                int i = c / 2;
                double angle = t * Math.pow(10000, -2.0 * i / width);
                pe[t * width + c] = c % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
            }
        }
        return Nd4j.create(pe, new long[] {length, width}, DataType.DOUBLE);
    }
}
