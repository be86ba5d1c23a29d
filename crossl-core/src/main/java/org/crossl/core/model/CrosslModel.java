package org.crossl.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.Encoder;
import org.crossl.api.LatentMask;
import org.crossl.api.MaskContext;
import org.crossl.api.Masker;
import org.crossl.api.ObjectiveResult;
import org.crossl.api.SSLObjective;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Forward;
import org.crossl.nn.profile.Profiling;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.core.Workspaces;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.Normalizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A CroSSL model: one encoder per modality, the cross-modal aggregator, and the normaliser of its
 * training data. Everything needed to embed new windows; saved and loaded by {@link ModelIO}.
 *
 * <p>Self-supervised step ({@link #sslStep}): encoders run once per batch; two masks drawn
 * independently give two views; per view, modality embeddings are pooled over the kept latent steps,
 * multiplied by the kept modalities and elements, stacked to {@code [B, M, D]} and aggregated to
 * {@code Z [B, Dz]}; the objective compares Z_a and Z_b, and the gradients of both views flow back
 * through the shared encoders.
 */
public final class CrosslModel {
    private final List<ModalitySpec> modalities;
    private final List<Encoder> encoders;
    private final Aggregator aggregator;
    private final ExperimentConfig resolvedConfig;
    private final Projector projector; // null: the objective reads Z
    private final DataType dataType;
    private Normalizer normalizer;

    public CrosslModel(List<ModalitySpec> modalities, List<Encoder> encoders, Aggregator aggregator, ExperimentConfig resolvedConfig) {
        this(modalities, encoders, aggregator, null, resolvedConfig);
    }

    /**
     * @param projector the pretraining-only map from Z to the objective's input
     *                  ({@link org.crossl.core.config.ProjectorConfig}); null for none
     */
    public CrosslModel(List<ModalitySpec> modalities, List<Encoder> encoders, Aggregator aggregator, Projector projector,
                       ExperimentConfig resolvedConfig) {
        this.projector = projector;
        this.modalities = List.copyOf(modalities);
        this.encoders = List.copyOf(encoders);
        this.aggregator = aggregator;
        this.resolvedConfig = resolvedConfig;
        int d = encoders.get(0).codeSize();
        for (Encoder e : encoders) {
            if (e.codeSize() != d) {
                throw new IllegalArgumentException("all encoders must produce the same code size; '" + encoders.get(0).modality().name()
                        + "' gives " + d + " but '" + e.modality().name() + "' gives " + e.codeSize());
            }
        }
        this.dataType = commonType();
    }

    /** The one data type of every parameter (float32 unless a model was assembled for gradient checks); FLOAT with no parameters. */
    private DataType commonType() {
        DataType type = null;
        String first = null;
        for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
            DataType t = e.getValue().value().dataType();
            if (type == null) {
                type = t;
                first = e.getKey();
            } else if (t != type) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' is " + t + " but '" + first + "' is " + type
                        + "; a model's components must be built in one data type (the one their provider's create(…, type, …) is given)");
            }
        }
        return type != null ? type : DataType.FLOAT;
    }

    /** The data type of the parameters and of every activation; inputs are cast to it. */
    public DataType dataType() {
        return dataType;
    }

    public List<ModalitySpec> modalities() {
        return modalities;
    }

    public List<Encoder> encoders() {
        return encoders;
    }

    public Aggregator aggregator() {
        return aggregator;
    }

    public int codeSize() {
        return encoders.get(0).codeSize();
    }

    /** The config the model was built from, every default filled (immutable). */
    public ExperimentConfig resolvedConfig() {
        return resolvedConfig;
    }

    /** The projector between Z and the objective, or null when the objective reads Z. */
    public Projector projector() {
        return projector;
    }

    public Normalizer normalizer() {
        return normalizer;
    }

    public void setNormalizer(Normalizer normalizer) {
        this.normalizer = normalizer;
    }

    /** All parameters under stable, unique names: {@code encoders.<modality>.<name>}, {@code aggregator.<name>}. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Encoder e : encoders) {
            for (Parameter p : e.parameters()) {
                put(out, "encoders." + e.modality().name() + "." + p.name(), p);
            }
        }
        for (Parameter p : aggregator.parameters()) {
            put(out, "aggregator." + p.name(), p);
        }
        if (projector != null) {
            for (Parameter p : projector.parameters()) {
                put(out, "projector." + p.name(), p);
            }
        }
        return out;
    }

    private static void put(Map<String, Parameter> out, String name, Parameter p) {
        if (out.put(name, p) != null) {
            throw new IllegalStateException("two parameters named " + name + "; a component must name its parameters uniquely");
        }
    }

    public long parameterCount() {
        return namedParameters().values().stream().mapToLong(Parameter::length).sum();
    }

    /** Checks that data has this model's modalities (names, channels), in order. */
    public void checkCompatible(List<ModalitySpec> data, String what) {
        List<String> mine = modalities.stream().map(m -> m.name() + "[" + m.channels() + "]").toList();
        List<String> theirs = data.stream().map(m -> m.name() + "[" + m.channels() + "]").toList();
        if (!mine.equals(theirs)) {
            throw new IllegalArgumentException(what + " has modalities " + theirs + " but the model was built for " + mine);
        }
    }

    /** Loss, its terms and, when training, gradients accumulated into every parameter. */
    public record StepResult(double loss, Map<String, Double> terms) {
    }

    /**
     * One self-supervised step on a batch. With {@code backward}, gradients are added into the
     * parameters' {@code grad} (the caller zeroes them and applies the optimiser). The pass decides
     * dropout; masks come from {@code maskRandom}.
     */
    public StepResult sslStep(WindowBatch batch, Masker masker, SSLObjective objective, Pass pass, SplittableRandom maskRandom,
                              boolean backward) {
        int m = modalities.size();
        int[] lengths = new int[m];
        long t0 = Profiling.start();
        List<Forward> encoded = encodeAll(batch, pass);
        for (int j = 0; j < m; j++) {
            lengths[j] = (int) encoded.get(j).output().size(1);
        }
        Profiling.stop("step: encoders forward", t0);
        long t1 = Profiling.start();
        INDArray presence = batch.presence().castTo(encoded.get(0).output().dataType());
        MaskContext ctx = new MaskContext(presence, lengths, codeSize());
        Forward[] unmaskedPools = new Forward[m];
        View a = view(encoded, masker.sample(ctx, maskRandom), presence, pass, unmaskedPools);
        View b = view(encoded, masker.sample(ctx, maskRandom), presence, pass, unmaskedPools);
        Forward pa = projector == null ? null : projector.forward(a.z.output(), pass);
        Forward pb = projector == null ? null : projector.forward(b.z.output(), pass);
        ObjectiveResult r = pa == null ? objective.compute(a.z.output(), b.z.output()) : objective.compute(pa.output(), pb.output());
        INDArray[] latentGrads = null;
        if (backward) {
            INDArray[] ga = a.backward(pa == null ? r.gradA() : pa.backward(r.gradA()));
            INDArray[] gb = b.backward(pb == null ? r.gradB() : pb.backward(r.gradB()));
            latentGrads = new INDArray[m];
            for (int j = 0; j < m; j++) {
                if (a.pools[j] == b.pools[j]) {
                    latentGrads[j] = a.pools[j].backward(ga[j].addi(gb[j]));
                } else {
                    latentGrads[j] = a.pools[j].backward(ga[j]).addi(b.pools[j].backward(gb[j]));
                }
            }
        }
        Profiling.stop("step: masking, pooling, aggregator, objective (forward and backward)", t1);
        if (backward) {
            long t2 = Profiling.start();
            for (int j = 0; j < m; j++) {
                encoded.get(j).backward(latentGrads[j]);
            }
            Profiling.stop("step: encoders backward", t2);
        }
        return new StepResult(r.loss(), r.terms());
    }

    /** One masked view: pooled, masked modality embeddings and the aggregator pass over them. */
    private final class View {
        final Forward[] pools;
        final INDArray keep; // [B, M, D] multiplier applied after pooling
        final Forward z;

        View(Forward[] pools, INDArray keep, Forward z) {
            this.pools = pools;
            this.keep = keep;
            this.z = z;
        }

        /** dL/d(pooled embedding) {@code [B, D]} of every modality for this view. */
        INDArray[] backward(INDArray gz) {
            INDArray ge = z.backward(gz).mul(keep); // [B, M, D]
            INDArray[] out = new INDArray[pools.length];
            for (int j = 0; j < pools.length; j++) {
                out[j] = ge.get(NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all()).dup('c');
            }
            return out;
        }
    }

    /**
     * @param unmaskedPools per modality, the pooling of the whole latent sequence, shared by every
     *                      view that keeps all time steps (filled on first use): pooling is the
     *                      same for both views then, and so is its backward, which runs once on
     *                      the sum of the views' gradients
     */
    private View view(List<Forward> encoded, LatentMask mask, INDArray presence, Pass pass, Forward[] unmaskedPools) {
        int m = encoded.size();
        Forward[] pools = new Forward[m];
        INDArray[] pooled = new INDArray[m];
        for (int j = 0; j < m; j++) {
            INDArray tk = mask.timeKeep() == null ? null : mask.timeKeep().get(j);
            Forward p;
            if (tk == null) {
                if (unmaskedPools[j] == null) {
                    unmaskedPools[j] = encoders.get(j).pool(encoded.get(j).output(), null, pass);
                }
                p = unmaskedPools[j];
            } else {
                p = encoders.get(j).pool(encoded.get(j).output(), tk, pass);
            }
            pools[j] = p;
            pooled[j] = p.output();
        }
        Stacked st = stack(pooled, mask.modalityKeep().castTo(pooled[0].dataType()).mul(presence), mask.elementKeep());
        Forward z = aggregator.aggregate(st.masked(), st.modalityKeep(), pass);
        return new View(pools, st.keep(), z);
    }

    /**
     * The step every path shares after pooling: the modality embeddings stacked to {@code [B, M, D]}
     * and multiplied by what is kept, {@code modalityKeep [B, M]} (presence, times a mask's kept
     * modalities) broadcast over D and, when given, a mask's {@code elementKeep [B, M, D]}.
     */
    private static Stacked stack(INDArray[] pooled, INDArray modalityKeep, INDArray elementKeep) {
        INDArray e = Nd4j.stack(1, pooled); // [B, M, D]
        long b = e.size(0);
        long m = e.size(1);
        long d = e.size(2);
        INDArray keep = modalityKeep.reshape(b, m, 1).broadcast(b, m, d).dup('c');
        if (elementKeep != null) {
            keep.muli(elementKeep.castTo(e.dataType()));
        }
        return new Stacked(e.mul(keep), keep, modalityKeep);
    }

    /** Stacked, kept modality embeddings {@code masked [B, M, D]}, the multiplier {@code keep [B, M, D]}, and {@code modalityKeep [B, M]}. */
    private record Stacked(INDArray masked, INDArray keep, INDArray modalityKeep) {
    }

    /** Every modality's encoder pass over the batch, kept for the backward pass. */
    private List<Forward> encodeAll(WindowBatch batch, Pass pass) {
        List<Forward> encoded = new ArrayList<>(modalities.size());
        for (int j = 0; j < modalities.size(); j++) {
            encoded.add(encoders.get(j).encode(batch.inputs().get(j).castTo(dataType), pass));
        }
        return encoded;
    }

    /** What a classifier head reads. */
    public enum Features {
        /** the aggregator's global embedding Z {@code [B, Dz]} (the paper's design) */
        GLOBAL,
        /** the pooled modality embeddings, absent ones zeroed, concatenated {@code [B, M·D]} (what the reference code ran) */
        MODALITIES,
        /** Z and the modality embeddings side by side, {@code [B, Dz + M·D]} */
        BOTH
    }

    /** Width of {@code features} for this model. */
    public int featureSize(Features features) {
        return switch (features) {
            case GLOBAL -> aggregator.outputSize();
            case MODALITIES -> modalities.size() * codeSize();
            case BOTH -> aggregator.outputSize() + modalities.size() * codeSize();
        };
    }

    /**
     * Features of a batch with every present modality visible, as a differentiable pass: its
     * backward adds gradients into the encoders' (and, for {@link Features#GLOBAL}, the
     * aggregator's) parameters. The pass decides dropout.
     */
    public Forward features(WindowBatch batch, Features which, Pass pass) {
        int m = modalities.size();
        List<Forward> encoded = encodeAll(batch, pass);
        Forward[] pools = new Forward[m];
        INDArray[] pooled = new INDArray[m];
        for (int j = 0; j < m; j++) {
            pools[j] = encoders.get(j).pool(encoded.get(j).output(), null, pass);
            pooled[j] = pools[j].output();
        }
        INDArray presence = batch.presence().castTo(pooled[0].dataType());
        Stacked st = stack(pooled, presence, null);
        INDArray masked = st.masked();
        INDArray keep = st.keep();
        long b = masked.size(0);
        long d = masked.size(2);
        Forward head = switch (which) {
            case GLOBAL -> aggregator.aggregate(masked, presence, pass);
            case MODALITIES -> Forward.of(masked.reshape('c', b, m * d), g -> g.reshape('c', b, m, d));
            case BOTH -> {
                Forward z = aggregator.aggregate(masked, presence, pass);
                long dz = z.output().size(1);
                INDArray out = Nd4j.concat(1, z.output(), masked.reshape('c', b, m * d));
                yield Forward.of(out, g -> {
                    INDArray gz = g.get(NDArrayIndex.all(), NDArrayIndex.interval(0, dz)).dup('c');
                    INDArray ge = g.get(NDArrayIndex.all(), NDArrayIndex.interval(dz, dz + m * d)).dup('c').reshape('c', b, m, d);
                    return ge.addi(z.backward(gz));
                });
            }
        };
        return Forward.of(head.output(), g -> {
            INDArray ge = head.backward(g).mul(keep);
            for (int j = 0; j < m; j++) {
                INDArray gj = ge.get(NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all()).dup('c');
                encoded.get(j).backward(pools[j].backward(gj));
            }
            return null;
        });
    }

    /** Z for a batch with every present modality visible and no dropout: {@code [B, Dz]}. */
    public INDArray embed(WindowBatch batch) {
        Pass pass = Pass.inference();
        int m = modalities.size();
        INDArray[] pooled = new INDArray[m];
        for (int j = 0; j < m; j++) {
            int jj = j;
            // one modality at a time in its own workspace: inference keeps no activations, so memory
            // stays at one encoder's worth instead of all of them
            pooled[j] = Workspaces.run("crossl-embed-modality", () -> {
                INDArray latent = encoders.get(jj).encode(batch.inputs().get(jj), pass).output();
                return encoders.get(jj).pool(latent, null, pass).output().detach();
            });
        }
        Stacked st = stack(pooled, batch.presence().castTo(pooled[0].dataType()), null);
        return aggregator.aggregate(st.masked(), st.modalityKeep(), pass).output();
    }

    /**
     * Z for every window of {@code data} (raw, un-normalised: the model's normaliser is applied
     * here), {@code [N, Dz]}, computed {@code batchSize} windows at a time.
     */
    public INDArray embed(WindowDataset data, int batchSize) {
        checkCompatible(data.modalities(), "the data");
        return embedNormalised(normalizer == null ? data : normalizer.apply(data), batchSize);
    }

    /** As {@link #embed(WindowDataset, int)} for data already normalised (the trainer's splits). */
    public INDArray embedNormalised(WindowDataset scaled, int batchSize) {
        int n = scaled.size();
        List<INDArray> parts = new ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            int[] idx = new int[end - start];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = start + i;
            }
            parts.add(Workspaces.run("crossl-embed-batch", () -> embed(scaled.batch(idx)).detach()));
        }
        if (parts.isEmpty()) {
            return Nd4j.create(dataType, 0, aggregator.outputSize());
        }
        return Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }
}
