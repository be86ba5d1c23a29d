package org.crossl.aggregators;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Inputs shared by the aggregator tests. */
final class AggregatorFixtures {
    private AggregatorFixtures() {
    }

    /** Embeddings [B, M, D] drawn from N(0.2, 1) (seeded), invisible entries zeroed as the core does. */
    static INDArray embeddings(long seed, INDArray visible, int d, DataType type) {
        Random rng = new Random(seed);
        int b = (int) visible.size(0);
        int m = (int) visible.size(1);
        double[] v = new double[b * m * d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < m; j++) {
                boolean shown = visible.getDouble(i, j) == 1;
                for (int k = 0; k < d; k++) {
                    double x = 0.2 + rng.nextGaussian();
                    v[(i * m + j) * d + k] = shown ? x : 0;
                }
            }
        }
        return Nd4j.create(v, new long[] {b, m, d}, DataType.DOUBLE).castTo(type);
    }

    /** A copy of e where every invisible modality holds large random values instead of zeros. */
    static INDArray scrambleInvisible(INDArray e, INDArray visible, long seed) {
        Random rng = new Random(seed);
        INDArray out = e.dup('c');
        for (int i = 0; i < visible.size(0); i++) {
            for (int j = 0; j < visible.size(1); j++) {
                if (visible.getDouble(i, j) == 0) {
                    for (int k = 0; k < e.size(2); k++) {
                        out.putScalar(new long[] {i, j, k}, 50 * rng.nextGaussian());
                    }
                }
            }
        }
        return out;
    }

    /** A visibility pattern with every sample keeping at least one modality (row r hides pattern bits of r). */
    static INDArray visible(int b, int m, DataType type) {
        double[][] v = new double[b][m];
        for (int i = 0; i < b; i++) {
            int shown = 0;
            for (int j = 0; j < m; j++) {
                v[i][j] = ((i * 7 + j * 3) % 5 == 0) ? 0 : 1;
                shown += (int) v[i][j];
            }
            if (shown == 0) {
                v[i][i % m] = 1;
            }
        }
        return Nd4j.createFromArray(v).castTo(type);
    }
}
