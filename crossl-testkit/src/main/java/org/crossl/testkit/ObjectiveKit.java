package org.crossl.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crossl.api.ObjectiveResult;
import org.crossl.api.SSLObjective;
import org.crossl.api.spi.ObjectiveProvider;
import org.crossl.nn.check.GradientCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conformance checks for an {@link ObjectiveProvider}: a finite loss whose named terms follow
 * {@link SSLObjective#termNames()} and add up to it, gradients shaped like the views, a pure
 * function (same inputs, same result; inputs left unchanged), symmetry in the two views unless
 * {@link #asymmetric()} is declared, finite values for identical views and for the smallest batch,
 * a clear error for mismatched views, and float64 central differences against both gradients.
 */
public final class ObjectiveKit extends ComponentKit<ObjectiveKit> {
    private final ObjectiveProvider<Object> objectives;
    private int batch = 8;
    private int dim = 6;
    private int minBatch = 2;
    private boolean symmetric = true;

    @SuppressWarnings("unchecked")
    ObjectiveKit(ObjectiveProvider<?> provider) {
        super(provider, ObjectiveProvider.class);
        this.objectives = (ObjectiveProvider<Object>) provider;
    }

    /** B and Dz of the views the checks draw; default 8 and 6. */
    public ObjectiveKit shape(int batch, int dim) {
        this.batch = batch;
        this.dim = dim;
        return this;
    }

    /** The smallest batch the objective accepts (checked to give a finite loss); default 2. */
    public ObjectiveKit minBatch(int b) {
        this.minBatch = b;
        return this;
    }

    /** Declares that loss(a, b) ≠ loss(b, a) by design; drops the symmetry check. */
    public ObjectiveKit asymmetric() {
        this.symmetric = false;
        return this;
    }

    private SSLObjective create(String yaml) {
        return objectives.create(bind(yaml));
    }

    private static INDArray view(int b, int d, long seed, DataType type) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(type, b, d);
    }

    @Override
    protected List<Check> kindChecks() {
        List<Check> c = new ArrayList<>();
        c.add(new Check("loss is finite, its terms follow termNames() and add up to it, gradients are [B, Dz]", this::basics));
        c.add(new Check("a pure function: the same views give the same result and stay unchanged", this::pure));
        if (symmetric) {
            c.add(new Check("symmetric: swapping the views keeps the loss and swaps the gradients", this::symmetry));
        }
        c.add(new Check("finite for identical views and for the smallest batch", this::edges));
        c.add(new Check("views of different shapes are refused with IllegalArgumentException", this::mismatch));
        c.add(new Check("float64 gradients match central differences for both views", this::gradients));
        return c;
    }

    private void basics() {
        SSLObjective o = create(config);
        DataType t = DataType.FLOAT;
        ObjectiveResult r = o.compute(view(batch, dim, 1, t), view(batch, dim, 2, t));
        check(Double.isFinite(r.loss()), "loss is " + r.loss());
        check(r.terms() != null && new ArrayList<>(r.terms().keySet()).equals(o.termNames()),
                "terms " + (r.terms() == null ? null : r.terms().keySet()) + " do not follow termNames() " + o.termNames() + " (use a LinkedHashMap)");
        double sum = r.terms().values().stream().mapToDouble(Double::doubleValue).sum();
        check(Math.abs(sum - r.loss()) <= 1e-5 * Math.max(1, Math.abs(r.loss())), "terms add up to " + sum + ", loss is " + r.loss());
        for (INDArray g : new INDArray[]{r.gradA(), r.gradB()}) {
            check(g != null && java.util.Arrays.equals(g.shape(), new long[]{batch, dim}), "a gradient is "
                    + (g == null ? null : java.util.Arrays.toString(g.shape())) + ", expected [" + batch + ", " + dim + "]");
            finite(g, "a gradient");
        }
    }

    private void pure() {
        SSLObjective o = create(config);
        DataType t = DataType.FLOAT;
        INDArray a = view(batch, dim, 3, t);
        INDArray b = view(batch, dim, 4, t);
        INDArray a0 = a.dup();
        INDArray b0 = b.dup();
        ObjectiveResult r1 = o.compute(a, b);
        check(a.equals(a0) && b.equals(b0), "compute() modified its inputs");
        ObjectiveResult r2 = o.compute(a, b);
        check(r1.loss() == r2.loss() && r1.gradA().equals(r2.gradA()) && r1.gradB().equals(r2.gradB()), "two calls on the same views differ");
    }

    private void symmetry() {
        SSLObjective o = create(config);
        INDArray a = view(batch, dim, 5, DataType.DOUBLE);
        INDArray b = view(batch, dim, 6, DataType.DOUBLE);
        ObjectiveResult ab = o.compute(a, b);
        ObjectiveResult ba = o.compute(b, a);
        check(Math.abs(ab.loss() - ba.loss()) <= 1e-9 * Math.max(1, Math.abs(ab.loss())), "loss(a, b) = " + ab.loss() + " but loss(b, a) = " + ba.loss());
        check(maxAbsDiff(ab.gradA(), ba.gradB()) < 1e-9 && maxAbsDiff(ab.gradB(), ba.gradA()) < 1e-9, "swapping the views does not swap the gradients");
    }

    private void edges() {
        SSLObjective o = create(config);
        DataType t = DataType.FLOAT;
        INDArray a = view(batch, dim, 7, t);
        ObjectiveResult same = o.compute(a, a.dup());
        check(Double.isFinite(same.loss()), "identical views give loss " + same.loss());
        finite(same.gradA(), "the gradient for identical views");
        ObjectiveResult small = o.compute(view(minBatch, dim, 8, t), view(minBatch, dim, 9, t));
        check(Double.isFinite(small.loss()), "a batch of " + minBatch + " gives loss " + small.loss());
    }

    private void mismatch() {
        SSLObjective o = create(config);
        DataType t = DataType.FLOAT;
        try {
            o.compute(view(batch, dim, 1, t), view(batch, dim + 1, 2, t));
        } catch (IllegalArgumentException ok) {
            return;
        } catch (RuntimeException other) {
            throw new AssertionError("views [B, " + dim + "] and [B, " + (dim + 1) + "] threw " + other.getClass().getName()
                    + " (" + other.getMessage() + "); check the shapes first and throw IllegalArgumentException");
        }
        throw new AssertionError("views [B, " + dim + "] and [B, " + (dim + 1) + "] were accepted");
    }

    private void gradients() {
        SSLObjective o = create(tiny());
        int b = Math.max(minBatch, 4);
        int d = Math.min(dim, 4);
        INDArray za = view(b, d, 11, DataType.DOUBLE);
        INDArray zb = view(b, d, 12, DataType.DOUBLE);
        ObjectiveResult r = o.compute(za, zb);
        GradientCheck.Result g = GradientCheck.checkScalar(() -> o.compute(za, zb).loss(),
                List.of(new GradientCheck.Target("za", za, r.gradA()), new GradientCheck.Target("zb", zb, r.gradB())), 1e-6, 1e-8,
                Integer.MAX_VALUE, 0);
        check(g.maxRelativeError() < tolerance, "relative error " + g.maxRelativeError() + " at " + g.worst());
        Map<String, Double> terms = r.terms();
        check(terms != null, "no terms");
    }
}
