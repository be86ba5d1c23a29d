package org.crossl.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.api.spi.EncoderProvider;
import org.crossl.nn.check.GradientCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conformance checks for an {@link EncoderProvider}: latent and pooled shapes for several batch
 * sizes and lengths, pooling that ignores hidden steps, determinism under a seed, a training pass
 * that replays under the same random stream, well-formed parameters, a save/load round trip through
 * the model file's parameter codec, gradients that accumulate, a clear error for a wrong channel
 * count, and a float64 finite-difference gradient check on a tiny instance.
 */
public final class EncoderKit extends ComponentKit<EncoderKit> {
    private final EncoderProvider<Object> encoders;
    private ModalitySpec modality = new ModalitySpec("acc", List.of("x", "y", "z"), 50, "wrist");
    private int[] lengths = {32, 50, 128};
    private int tinyLength = 16;

    @SuppressWarnings("unchecked")
    EncoderKit(EncoderProvider<?> provider) {
        super(provider, EncoderProvider.class);
        this.encoders = (EncoderProvider<Object>) provider;
    }

    /** The modality instances are built for; default 3 channels at 50 Hz. */
    public EncoderKit modality(ModalitySpec modality) {
        this.modality = modality;
        return this;
    }

    /** Window lengths for the shape checks; default 32, 50, 128. */
    public EncoderKit lengths(int... lengths) {
        this.lengths = lengths.clone();
        return this;
    }

    /** Window length of the gradient check's input; default 16. */
    public EncoderKit tinyLength(int length) {
        this.tinyLength = length;
        return this;
    }

    private Encoder create(String yaml, long seed) {
        return create(yaml, seed, DataType.FLOAT);
    }

    private Encoder create(String yaml, long seed, DataType type) {
        return encoders.create(modality, bind(yaml), type, new SplittableRandom(seed));
    }

    private INDArray input(long b, long t, long seed) {
        return input(b, t, seed, DataType.FLOAT);
    }

    private INDArray input(long b, long t, long seed, DataType type) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(type, b, t, modality.channels());
    }

    @Override
    protected List<Check> kindChecks() {
        List<Check> c = new ArrayList<>();
        c.add(new Check("latent [B, T', D] and pooled [B, D] for batch sizes 1, 2, 5 and each length", this::shapes));
        c.add(new Check("pooling ignores hidden latent steps", this::poolMask));
        c.add(new Check("same seed gives the same weights and outputs, another seed other weights", this::seeds));
        c.add(new Check("inference is deterministic and a training pass replays under the same random stream", this::determinism));
        c.add(new Check("parameters have unique names and gradients shaped like their values", () -> parametersWellFormed(create(config, 1), "encoder")));
        c.add(new Check("save/load round trip through the model file's parameter codec gives the same latent", this::saveLoad));
        c.add(new Check("backward adds into parameter gradients", this::accumulates));
        c.add(new Check("a wrong channel count is refused with IllegalArgumentException", this::wrongChannels));
        c.add(new Check("float64 gradients match finite differences on a tiny instance", this::gradients));
        return c;
    }

    private void shapes() {
        Encoder e = create(config, 1);
        check(e.modality().equals(modality), "modality() is not the modality it was built for");
        int d = e.codeSize();
        check(d > 0, "codeSize() must be positive, got " + d);
        for (int b : new int[]{1, 2, 5}) {
            for (int t : lengths) {
                INDArray latent = e.encode(input(b, t, b * 31L + t), Pass.inference()).output();
                long tp = e.latentLength(t);
                check(tp >= 1, "latentLength(" + t + ") = " + tp);
                check(java.util.Arrays.equals(latent.shape(), new long[]{b, tp, d}), "encode of [" + b + ", " + t + ", " + modality.channels()
                        + "] gave " + java.util.Arrays.toString(latent.shape()) + ", expected [" + b + ", " + tp + ", " + d + "]");
                finite(latent, "the latent of [" + b + ", " + t + ", C]");
                INDArray pooled = e.pool(latent, null, Pass.inference()).output();
                check(java.util.Arrays.equals(pooled.shape(), new long[]{b, d}), "pool gave " + java.util.Arrays.toString(pooled.shape())
                        + ", expected [" + b + ", " + d + "]");
            }
        }
    }

    private void poolMask() {
        Encoder e = create(config, 1);
        int t = lengths[lengths.length - 1];
        INDArray latent = e.encode(input(4, t, 5), Pass.inference()).output().dup();
        long tp = latent.size(1);
        INDArray keep = Nd4j.zeros(latent.dataType(), 4, tp);
        SplittableRandom r = new SplittableRandom(3);
        for (int b = 0; b < 4; b++) {
            keep.putScalar(b, r.nextInt((int) tp), 1);
            for (int s = 0; s < tp; s++) {
                if (r.nextBoolean()) {
                    keep.putScalar(b, s, 1);
                }
            }
        }
        INDArray pooled = e.pool(latent, keep, Pass.inference()).output().dup();
        INDArray changed = latent.dup();
        Nd4j.getRandom().setSeed(9);
        INDArray noise = Nd4j.randn(latent.dataType(), latent.shape()).muli(100);
        changed.addi(noise.muli(keep.neg().addi(1).reshape(4, tp, 1).broadcast(latent.shape())));
        INDArray pooled2 = e.pool(changed, keep, Pass.inference()).output();
        check(maxAbsDiff(pooled, pooled2) < 1e-4, "changing hidden latent steps changed the pooled embedding by " + maxAbsDiff(pooled, pooled2));
        INDArray all = e.pool(latent, Nd4j.ones(latent.dataType(), 4, tp), Pass.inference()).output();
        INDArray none = e.pool(latent, null, Pass.inference()).output();
        check(maxAbsDiff(all, none) < 1e-5, "pooling with every step kept differs from pooling without a mask");
    }

    private void seeds() {
        Encoder a = create(config, 7);
        Encoder b = create(config, 7);
        Encoder c = create(config, 8);
        check(sameParameters(a, b), "two instances built with the same seed have different weights; initialise from the SplittableRandom given to create()");
        check(a.parameters().isEmpty() || !sameParameters(a, c), "instances built with different seeds have identical weights");
        INDArray x = input(3, lengths[0], 1);
        check(a.encode(x, Pass.inference()).output().equals(b.encode(x, Pass.inference()).output()), "same weights, same input, different latents");
    }

    private void determinism() {
        Encoder e = create(config, 1);
        INDArray x = input(3, lengths[0], 2);
        check(e.encode(x, Pass.inference()).output().equals(e.encode(x, Pass.inference()).output()), "two inference passes differ");
        INDArray t1 = e.encode(x, Pass.training(new SplittableRandom(5))).output().dup();
        INDArray t2 = e.encode(x, Pass.training(new SplittableRandom(5))).output();
        check(t1.equals(t2), "two training passes with the same random stream differ; draw all randomness (dropout) from Pass.random()");
    }

    private void saveLoad() {
        Encoder a = create(config, 1);
        Encoder b = create(config, 2);
        INDArray x = input(2, lengths[0], 3);
        check(a.parameters().isEmpty() || !a.encode(x, Pass.inference()).output().equals(b.encode(x, Pass.inference()).output()),
                "instances built with seeds 1 and 2 give the same latent; the round trip would prove nothing");
        roundTripParameters(a, b);
        check(a.encode(x, Pass.inference()).output().equals(b.encode(x, Pass.inference()).output()),
                "after loading A's parameters into B, their latents differ: some state is not a Parameter");
    }

    private void accumulates() {
        Encoder e = create(config, 1);
        if (e.parameters().isEmpty()) {
            return;
        }
        INDArray x = input(2, lengths[0], 4);
        e.parameters().forEach(p -> p.grad().assign(0));
        Forward f1 = e.encode(x, Pass.inference());
        INDArray g = Nd4j.onesLike(f1.output());
        f1.backward(g);
        List<INDArray> once = e.parameters().stream().map(p -> p.grad().dup()).toList();
        e.encode(x, Pass.inference()).backward(g);
        for (int i = 0; i < once.size(); i++) {
            Parameter p = e.parameters().get(i);
            check(maxAbsDiff(p.grad(), once.get(i).mul(2)) <= 1e-4 * (1 + once.get(i).amaxNumber().doubleValue()),
                    "a second backward did not add to '" + p.name() + "' (gradients must accumulate until the trainer zeroes them)");
        }
        e.parameters().forEach(p -> p.grad().assign(0));
    }

    private void wrongChannels() {
        Encoder e = create(config, 1);
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, lengths[0], modality.channels() + 1);
        try {
            e.encode(x, Pass.inference());
        } catch (IllegalArgumentException ok) {
            return;
        } catch (RuntimeException other) {
            throw new AssertionError("a wrong channel count threw " + other.getClass().getName() + " (" + other.getMessage()
                    + "); check the input shape first and throw IllegalArgumentException naming the expected shape");
        }
        throw new AssertionError("an input with " + (modality.channels() + 1) + " channels was accepted by an encoder built for "
                + modality.channels());
    }

    private void gradients() {
        Encoder e = create(tiny(), 3, DataType.DOUBLE);
        typeFollowed(e, "create(modality, config, DOUBLE, init)");
        INDArray x = input(2, tinyLength, 7, DataType.DOUBLE);
        GradientCheck.Result enc = GradientCheck.check(in -> e.encode(in, Pass.training(new SplittableRandom(11))), x, e.parameters(), false, 12, 5);
        INDArray latent = e.encode(x, Pass.inference()).output().dup();
        INDArray keep = Nd4j.ones(DataType.DOUBLE, latent.size(0), latent.size(1));
        if (latent.size(1) > 1) {
            keep.putScalar(0, 0, 0);
        }
        GradientCheck.Result pool = GradientCheck.check(l -> e.pool(l, keep, Pass.inference()), latent, List.of(), true, 12, 6);
        GradientCheck.Result r = enc.maxRelativeError() >= pool.maxRelativeError() ? enc
                : new GradientCheck.Result(pool.maxRelativeError(), "pool: " + pool.worst(), pool.checked());
        check(r.maxRelativeError() < tolerance, "relative error " + r.maxRelativeError() + " at " + r.worst());
    }
}
