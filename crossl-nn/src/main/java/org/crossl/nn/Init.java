package org.crossl.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Weight initialisers drawing from an explicit random stream (never ND4J's global RNG). */
public final class Init {
    private Init() {
    }

    /** Glorot/Xavier uniform, U(−l, l) with {@code l = sqrt(6 / (fanIn + fanOut))} (Keras' default). */
    public static INDArray glorotUniform(SplittableRandom rng, DataType type, long fanIn, long fanOut, long... shape) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        return uniform(rng, type, -limit, limit, shape);
    }

    public static INDArray uniform(SplittableRandom rng, DataType type, double lo, double hi, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(type);
    }

    public static INDArray constant(DataType type, double value, long... shape) {
        return Nd4j.create(type, shape).assign(value);
    }
}
