package org.crossl.api.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Context of one forward pass: training or inference, and the random stream for dropout and other
 * stochastic layers. The stream is derived from the experiment's root seed, so runs replay exactly.
 */
public final class Pass {
    private final boolean training;
    private final SplittableRandom rng;
    private Random nativeRandom;

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
     * else 0. Shape and data type as given.
     */
    public INDArray dropoutMask(DataType type, double keep, long... shape) {
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("keep probability must be in (0, 1], got " + keep);
        }
        INDArray mask = Nd4j.createUninitialized(type, shape);
        if (nativeRandom == null) {
            nativeRandom = Nd4j.getRandomFactory().getNewRandomInstance(rng.nextLong());
        }
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution(mask, keep), nativeRandom);
        return mask.muli(1.0 / keep);
    }
}
