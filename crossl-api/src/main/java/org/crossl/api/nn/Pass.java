package org.crossl.api.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Context of one forward pass: training or inference, and the random stream for dropout and other
 * stochastic layers. The stream is derived from the experiment's root seed, so runs replay exactly.
 */
public final class Pass {
    private final boolean training;
    private final SplittableRandom rng;

    private Pass(boolean training, SplittableRandom rng) {
        this.training = training;
        this.rng = rng;
    }

    /** A training pass drawing its randomness from {@code rng}. */
    public static Pass training(SplittableRandom rng) {
        return new Pass(true, rng);
    }

    /** An inference pass: no dropout, deterministic. */
    public static Pass inference() {
        return new Pass(false, new SplittableRandom(0));
    }

    public boolean isTraining() {
        return training;
    }

    public SplittableRandom random() {
        return rng;
    }

    /**
     * An inverted-dropout multiplier: each element is {@code 1/keep} with probability {@code keep},
     * else 0. Shape and data type as given. Drawn in Java from this pass's stream (one
     * {@code nextLong} per call), so a pass rebuilt from the same stream gives the same masks: a run
     * resumed from a checkpoint replays exactly.
     */
    public INDArray dropoutMask(DataType type, double keep, long... shape) {
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("keep probability must be in (0, 1], got " + keep);
        }
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a dropout mask of " + n + " elements is too large; use smaller batches");
        }
        SplittableRandom r = new SplittableRandom(rng.nextLong());
        float scale = (float) (1.0 / keep);
        if (type == DataType.DOUBLE) {
            double[] v = new double[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextDouble() < keep ? 1.0 / keep : 0;
            }
            return Nd4j.create(v, shape, DataType.DOUBLE);
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() < keep ? scale : 0;
        }
        INDArray f = Nd4j.create(v, shape, 'c');
        return type == DataType.FLOAT ? f : f.castTo(type);
    }
}
