package org.crossl.nn.check;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite-difference check of a hand-written backward pass, in float64.
 *
 * <p>The scalar checked is {@code L = Σ output ⊙ R} for a fixed random R, so every output element
 * contributes. For each checked element θ of the input and of each parameter,
 * {@code (L(θ+h) − L(θ−h)) / 2h} is compared with the analytic gradient; the worst relative error
 * {@code |a − n| / max(|a| + |n|, floor)} is reported. The function must be deterministic (use an
 * inference pass, or a training pass built from a fixed seed on every call).
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /** Outcome: the worst relative error and where it was. */
    public record Result(double maxRelativeError, String worst, int checked) {
    }

    /**
     * @param f           the forward pass under test, called many times
     * @param input       float64 input (perturbed in place and restored); may be null-gradient
     * @param params      float64 parameters (perturbed in place and restored)
     * @param checkInput  whether the backward's returned input gradient is checked
     * @param maxPerArray at most this many elements per array are checked (chosen at random)
     */
    public static Result check(Function<INDArray, Forward> f, INDArray input, List<Parameter> params,
                               boolean checkInput, int maxPerArray, long seed) {
        if (input.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("gradient checks need float64 inputs");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Forward base = f.apply(input);
        INDArray r = Nd4j.rand(DataType.DOUBLE, base.output().shape()).subi(0.5);
        for (Parameter p : params) {
            if (p.value().dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("gradient checks need float64 parameters: " + p.name());
            }
            p.grad().assign(0);
        }
        INDArray gInput = base.backward(r.dup());
        List<Target> targets = new ArrayList<>();
        if (checkInput) {
            targets.add(new Target("input", input, gInput));
        }
        for (Parameter p : params) {
            targets.add(new Target(p.name(), p.value(), p.grad().dup()));
        }
        return checkScalar(() -> f.apply(input).output().mul(r).sumNumber().doubleValue(), targets, 1e-6, 1e-8, maxPerArray, rng);
    }

    /**
     * How many ulps of the loss its two evaluations may differ by through rounding alone: the part of
     * {@code |a − n|} below {@code ROUNDING_ULPS · ulp(L) / 2h} (about 1e-9 for L ≈ 1 and h = 1e-6)
     * is not counted. Without it a gradient that is zero in exact arithmetic (a bias that a softmax
     * ignores) fails whenever the two evaluations round one ulp apart.
     */
    static final int ROUNDING_ULPS = 8;

    /** An array whose elements are perturbed in place (and restored), with the analytic gradient of the scalar with respect to it. */
    public record Target(String name, INDArray values, INDArray analytic) {
    }

    /**
     * The one central-difference check: for each target, up to {@code maxPerArray} elements (all of
     * them when the array is no longer; otherwise drawn from {@code seed}), {@code n = (L(θ+h) −
     * L(θ−h)) / 2h} against the analytic gradient a; the error is {@code max(0, |a − n| − noise) /
     * max(|a| + |n|, floor)}, where noise is the rounding of the two losses ({@link #ROUNDING_ULPS}); a
     * large floor makes it an absolute error in units of the floor. {@code loss} must be
     * deterministic and read the targets' current values.
     */
    public static Result checkScalar(java.util.function.DoubleSupplier loss, List<Target> targets, double h, double floor, int maxPerArray,
                                     long seed) {
        return checkScalar(loss, targets, h, floor, maxPerArray, new SplittableRandom(seed));
    }

    private static Result checkScalar(java.util.function.DoubleSupplier loss, List<Target> targets, double h, double floor, int maxPerArray,
                                      SplittableRandom rng) {
        double worst = 0;
        String where = "";
        int count = 0;
        for (Target t : targets) {
            INDArray arr = t.values();
            if (arr.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("gradient checks need float64 arrays: " + t.name() + " is " + arr.dataType());
            }
            long n = arr.length();
            int m = (int) Math.min(n, maxPerArray);
            for (int k = 0; k < m; k++) {
                long i = m == n ? k : rng.nextLong(n);
                long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(arr, i);
                double orig = arr.getDouble(at);
                arr.putScalar(at, orig + h);
                double lp = loss.getAsDouble();
                arr.putScalar(at, orig - h);
                double lm = loss.getAsDouble();
                arr.putScalar(at, orig);
                double numeric = (lp - lm) / (2 * h);
                double a = t.analytic().getDouble(org.nd4j.linalg.api.shape.Shape.ind2subC(t.analytic(), i));
                // L(θ±h) are themselves rounded: a difference of a few ulps of L is noise, not a wrong gradient
                double noise = ROUNDING_ULPS * Math.ulp(Math.max(Math.abs(lp), Math.abs(lm))) / (2 * h);
                double rel = Math.max(0, Math.abs(a - numeric) - noise) / Math.max(Math.abs(a) + Math.abs(numeric), floor);
                count++;
                if (rel > worst || Double.isNaN(rel)) {
                    worst = Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel;
                    where = t.name() + "[" + i + "]: analytic " + a + ", numeric " + numeric;
                }
            }
        }
        return new Result(worst, where, count);
    }
}
