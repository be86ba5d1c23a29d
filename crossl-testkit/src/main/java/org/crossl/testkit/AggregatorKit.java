package org.crossl.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.api.spi.AggregatorProvider;
import org.crossl.nn.check.GradientCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conformance checks for an {@link AggregatorProvider}: the global embedding's shape for several
 * batch sizes, finite output with modalities hidden, determinism under a seed, well-formed
 * parameters, a save/load round trip through the model file's parameter codec, gradients that
 * accumulate, a clear error for a wrong input shape, and a float64 finite-difference gradient check
 * (with respect to the embeddings and every parameter) with some modalities hidden. An aggregator
 * that declares {@link #ignoresHidden()} is also checked to be unaffected by hidden modalities' values
 * and to send them exactly zero gradient.
 *
 * <p>Inputs follow the model's convention: embeddings {@code [B, M, D]} zeroed where {@code visible
 * [B, M]} is 0, with at least one visible modality per row.
 */
public final class AggregatorKit extends ComponentKit<AggregatorKit> {
    private final AggregatorProvider<Object> aggregators;
    private int modalityCount = 3;
    private int codeSize = 16;
    private int tinyCodeSize = 4;
    private boolean ignoresHidden;

    @SuppressWarnings("unchecked")
    AggregatorKit(AggregatorProvider<?> provider) {
        super(provider, AggregatorProvider.class);
        this.aggregators = (AggregatorProvider<Object>) provider;
    }

    /** M, the number of modalities; default 3. */
    public AggregatorKit modalities(int m) {
        this.modalityCount = m;
        return this;
    }

    /** D for the shape checks (default 16) and for the gradient check (default 4). */
    public AggregatorKit codeSizes(int d, int tinyD) {
        this.codeSize = d;
        this.tinyCodeSize = tinyD;
        return this;
    }

    /** Declares that the aggregator reads only visible modalities (attention masks, masked means); adds the invariance checks. */
    public AggregatorKit ignoresHidden() {
        this.ignoresHidden = true;
        return this;
    }

    private List<ModalitySpec> specs() {
        List<ModalitySpec> l = new ArrayList<>();
        for (int m = 0; m < modalityCount; m++) {
            l.add(new ModalitySpec("m" + m, List.of("x", "y", "z"), 50, "device" + m));
        }
        return l;
    }

    private Aggregator create(String yaml, int d, long seed) {
        return create(yaml, d, seed, DataType.FLOAT);
    }

    private Aggregator create(String yaml, int d, long seed, DataType type) {
        return aggregators.create(specs(), d, bind(yaml), type, new SplittableRandom(seed));
    }

    /** Visible masks: even rows all visible, row 1 only the last modality, other odd rows a random non-empty subset. */
    private INDArray visible(int b, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray v = Nd4j.zeros(DataType.FLOAT, b, modalityCount);
        for (int i = 0; i < b; i++) {
            if (i % 2 == 0) {
                v.getRow(i).assign(1);
            } else if (i == 1) {
                v.putScalar(i, modalityCount - 1, 1);
            } else {
                v.putScalar(i, r.nextInt(modalityCount), 1);
                for (int m = 0; m < modalityCount; m++) {
                    if (r.nextBoolean()) {
                        v.putScalar(i, m, 1);
                    }
                }
            }
        }
        return v;
    }

    private INDArray embeddings(int b, int d, INDArray visible, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray e = Nd4j.randn(visible.dataType(), b, modalityCount, d);
        return e.muli(visible.reshape(b, modalityCount, 1).broadcast(b, modalityCount, d));
    }

    @Override
    protected List<Check> kindChecks() {
        List<Check> c = new ArrayList<>();
        c.add(new Check("Z is [B, outputSize] and finite for batch sizes 1, 2, 5 with modalities hidden", this::shapes));
        c.add(new Check("same seed gives the same weights and Z, another seed other weights", this::seeds));
        c.add(new Check("inference is deterministic and a training pass replays under the same random stream", this::determinism));
        c.add(new Check("parameters have unique names and gradients shaped like their values",
                () -> parametersWellFormed(create(config, codeSize, 1), "aggregator")));
        c.add(new Check("save/load round trip through the model file's parameter codec gives the same Z", this::saveLoad));
        c.add(new Check("backward adds into parameter gradients", this::accumulates));
        c.add(new Check("a wrong embeddings shape is refused with IllegalArgumentException", this::wrongShape));
        if (ignoresHidden) {
            c.add(new Check("hidden modalities' values do not change Z and get zero gradient", this::hiddenIgnored));
        }
        c.add(new Check("float64 gradients (embeddings and parameters) match finite differences with modalities hidden", this::gradients));
        return c;
    }

    private void shapes() {
        Aggregator a = create(config, codeSize, 1);
        check(a.outputSize() > 0, "outputSize() must be positive");
        for (int b : new int[]{1, 2, 5}) {
            INDArray v = visible(b, b);
            INDArray z = a.aggregate(embeddings(b, codeSize, v, b), v, Pass.inference()).output();
            check(java.util.Arrays.equals(z.shape(), new long[]{b, a.outputSize()}),
                    "Z of " + b + " rows is " + java.util.Arrays.toString(z.shape()) + ", expected [" + b + ", " + a.outputSize() + "]");
            finite(z, "Z with hidden modalities");
        }
    }

    private void seeds() {
        Aggregator a = create(config, codeSize, 7);
        Aggregator b = create(config, codeSize, 7);
        Aggregator c = create(config, codeSize, 8);
        check(sameParameters(a, b), "two instances built with the same seed have different weights");
        check(a.parameters().isEmpty() || !sameParameters(a, c), "instances built with different seeds have identical weights");
    }

    private void determinism() {
        Aggregator a = create(config, codeSize, 1);
        INDArray v = visible(4, 3);
        INDArray e = embeddings(4, codeSize, v, 3);
        check(a.aggregate(e, v, Pass.inference()).output().equals(a.aggregate(e, v, Pass.inference()).output()), "two inference passes differ");
        INDArray t1 = a.aggregate(e, v, Pass.training(new SplittableRandom(5))).output().dup();
        check(t1.equals(a.aggregate(e, v, Pass.training(new SplittableRandom(5))).output()),
                "two training passes with the same random stream differ; draw all randomness from Pass.random()");
    }

    private void saveLoad() {
        Aggregator a = create(config, codeSize, 1);
        Aggregator b = create(config, codeSize, 2);
        INDArray v = visible(3, 4);
        INDArray e = embeddings(3, codeSize, v, 4);
        roundTripParameters(a, b);
        check(a.aggregate(e, v, Pass.inference()).output().equals(b.aggregate(e, v, Pass.inference()).output()),
                "after loading A's parameters into B, their Z differ: some state is not a Parameter");
    }

    private void accumulates() {
        Aggregator a = create(config, codeSize, 1);
        if (a.parameters().isEmpty()) {
            return;
        }
        INDArray v = visible(3, 5);
        INDArray e = embeddings(3, codeSize, v, 5);
        a.parameters().forEach(p -> p.grad().assign(0));
        Forward f = a.aggregate(e, v, Pass.inference());
        INDArray g = Nd4j.onesLike(f.output());
        f.backward(g);
        List<INDArray> once = a.parameters().stream().map(p -> p.grad().dup()).toList();
        a.aggregate(e, v, Pass.inference()).backward(g);
        for (int i = 0; i < once.size(); i++) {
            Parameter p = a.parameters().get(i);
            check(maxAbsDiff(p.grad(), once.get(i).mul(2)) <= 1e-4 * (1 + once.get(i).amaxNumber().doubleValue()),
                    "a second backward did not add to '" + p.name() + "'");
        }
        a.parameters().forEach(p -> p.grad().assign(0));
    }

    private void wrongShape() {
        Aggregator a = create(config, codeSize, 1);
        INDArray v = Nd4j.ones(DataType.FLOAT, 2, modalityCount + 1);
        INDArray e = Nd4j.ones(DataType.FLOAT, 2, modalityCount + 1, codeSize);
        try {
            a.aggregate(e, v, Pass.inference());
        } catch (IllegalArgumentException ok) {
            return;
        } catch (RuntimeException other) {
            throw new AssertionError("embeddings with M+1 modalities threw " + other.getClass().getName() + " (" + other.getMessage()
                    + "); check the shape first and throw IllegalArgumentException naming the expected shape");
        }
        throw new AssertionError("embeddings with " + (modalityCount + 1) + " modalities were accepted by an aggregator built for " + modalityCount);
    }

    private void hiddenIgnored() {
        Aggregator a = create(config, codeSize, 1);
        INDArray v = visible(5, 6);
        INDArray e = embeddings(5, codeSize, v, 6);
        INDArray z = a.aggregate(e, v, Pass.inference()).output().dup();
        Nd4j.getRandom().setSeed(10);
        INDArray hiddenNoise = Nd4j.randn(e.dataType(), e.shape()).muli(50)
                .muli(v.neg().addi(1).reshape(5, modalityCount, 1).broadcast(e.shape()));
        Forward f = a.aggregate(e.add(hiddenNoise), v, Pass.inference());
        check(maxAbsDiff(z, f.output()) < 1e-4, "values of hidden modalities changed Z by " + maxAbsDiff(z, f.output()));
        INDArray g = f.backward(Nd4j.onesLike(f.output()));
        double leak = g.mul(v.neg().addi(1).reshape(5, modalityCount, 1).broadcast(e.shape())).amaxNumber().doubleValue();
        check(leak == 0, "hidden modalities received gradient (max " + leak + ")");
        a.parameters().forEach(p -> p.grad().assign(0));
    }

    private void gradients() {
        Aggregator a = create(tiny(), tinyCodeSize, 3, DataType.DOUBLE);
        typeFollowed(a, "create(modalities, codeSize, config, DOUBLE, init)");
        INDArray v = visible(3, 8).castTo(DataType.DOUBLE);
        INDArray e = embeddings(3, tinyCodeSize, v, 8);
        GradientCheck.Result r = GradientCheck.check(in -> a.aggregate(in, v, Pass.training(new SplittableRandom(11))), e, a.parameters(), true, 12, 5);
        check(r.maxRelativeError() < tolerance, "relative error " + r.maxRelativeError() + " at " + r.worst());
    }
}
