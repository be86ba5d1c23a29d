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
        double h = 1e-6;
        double worst = 0;
        String where = "";
        int count = 0;
        List<Object[]> targets = new ArrayList<>();
        if (checkInput) {
            targets.add(new Object[]{"input", input, gInput});
        }
        for (Parameter p : params) {
            targets.add(new Object[]{p.name(), p.value(), p.grad().dup()});
        }
        for (Object[] t : targets) {
            String name = (String) t[0];
            INDArray arr = (INDArray) t[1];
            INDArray analytic = (INDArray) t[2];
            INDArray flat = arr.reshape(arr.length());
            INDArray aflat = analytic.reshape(analytic.length());
            long n = arr.length();
            int m = (int) Math.min(n, maxPerArray);
            for (int k = 0; k < m; k++) {
                long i = m == n ? k : rng.nextLong(n);
                double orig = flat.getDouble(i);
                flat.putScalar(i, orig + h);
                double lp = f.apply(input).output().mul(r).sumNumber().doubleValue();
                flat.putScalar(i, orig - h);
                double lm = f.apply(input).output().mul(r).sumNumber().doubleValue();
                flat.putScalar(i, orig);
                double numeric = (lp - lm) / (2 * h);
                double a = aflat.getDouble(i);
                double rel = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-8);
                count++;
                if (rel > worst) {
                    worst = rel;
                    where = name + "[" + i + "]: analytic " + a + ", numeric " + numeric;
                }
            }
        }
        return new Result(worst, where, count);
    }
}
