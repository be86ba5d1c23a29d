package org.crossl.eval.heads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.core.Seeds;
import org.crossl.core.Workspaces;
import org.crossl.core.config.OptimizerConfig;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.train.Adam;
import org.crossl.core.train.ParameterSnapshot;
import org.crossl.core.train.Shuffling;
import org.crossl.nn.Dense;
import org.crossl.nn.Dropout;
import org.crossl.nn.Layer;
import org.crossl.nn.ReLU;
import org.crossl.nn.Sequential;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A classifier head on a (pretrained or fresh) model, trained on labelled windows:
 *
 * <ul>
 *   <li>{@link Mode#PROBE}: encoders and aggregator frozen; only the linear head learns (the
 *       features are computed once, without dropout);</li>
 *   <li>{@link Mode#FINETUNE}: head and the whole model learn together (dropout on); on a freshly
 *       initialised model this is the supervised baseline.</li>
 * </ul>
 *
 * The head is one dense layer on {@link CrosslModel.Features} (the global embedding or the
 * concatenated modality embeddings; standardised with training statistics for a probe, an absent
 * modality's block imputed with its training mean), trained
 * with softmax cross-entropy and Adam, at least 20 steps per epoch (few labelled windows are cycled
 * through, reshuffled); after every epoch
 * the macro-F1 on the validation windows decides early stopping, and the best epoch's parameters
 * (head and model) are restored at the end. Everything random is drawn from {@code seed}.
 */
public final class Downstream {

    public enum Mode { PROBE, FINETUNE }

    /** The classifier on the features. */
    public enum Classifier {
        /** one dense layer (a linear probe when the model is frozen) */
        LINEAR,
        /** the reference code's head: Dense 128 → ReLU → Dropout 0.1 → Dense */
        MLP
    }

    /**
     * @param mode        probe or fine-tune
     * @param features    what the head reads
     * @param epochs      at most this many passes over the labelled training windows
     * @param batchSize   windows per step
     * @param patience    stop after this many epochs without a better validation macro-F1
     * @param optimizer   Adam settings (the learning rate applies to the head and, scaled by
     *                    {@code backboneLearningRateScale}, to the model when fine-tuning)
     * @param classifier  linear or the reference MLP head
     * @param backboneLearningRateScale fine-tuning: the encoders' and aggregator's learning rate is
     *                    the head's times this (a smaller rate keeps more of what pretraining learned)
     * @param probeEpochs fine-tuning: the first this many epochs train the head alone on the frozen
     *                    model ("linear probing, then fine-tuning"), so the model's first gradients
     *                    come from a head that already fits
     */
    public record Settings(Mode mode, CrosslModel.Features features, int epochs, int batchSize, int patience, OptimizerConfig optimizer,
                           Classifier classifier, double backboneLearningRateScale, int probeEpochs) {
        public Settings {
            if (epochs < 1 || batchSize < 2 || patience < 1) {
                throw new IllegalArgumentException("downstream training needs epochs ≥ 1, batch ≥ 2 and patience ≥ 1");
            }
            if (!(backboneLearningRateScale > 0) || probeEpochs < 0) {
                throw new IllegalArgumentException("downstream training needs backboneLearningRateScale > 0 and probeEpochs ≥ 0");
            }
            classifier = classifier == null ? Classifier.LINEAR : classifier;
        }

        /** A linear head; fine-tuning at the head's learning rate from the first epoch. */
        public Settings(Mode mode, CrosslModel.Features features, int epochs, int batchSize, int patience, OptimizerConfig optimizer) {
            this(mode, features, epochs, batchSize, patience, optimizer, Classifier.LINEAR, 1.0, 0);
        }
    }

    /** A trained head: its per-epoch validation macro-F1, the best epoch, and how to predict. */
    public static final class Trained {
        private final CrosslModel model;
        private final Layer head;
        private final Settings settings;
        private final double[] validationMacroF1;
        private final int bestEpoch;
        private final INDArray[] standardise;
        private final FeatureCache cache;

        Trained(CrosslModel model, Layer head, Settings settings, double[] validationMacroF1, int bestEpoch, INDArray[] standardise,
                FeatureCache cache) {
            this.cache = cache;
            this.model = model;
            this.head = head;
            this.settings = settings;
            this.validationMacroF1 = validationMacroF1;
            this.bestEpoch = bestEpoch;
            this.standardise = standardise;
        }

        public double[] validationMacroF1() {
            return validationMacroF1.clone();
        }

        public int bestEpoch() {
            return bestEpoch;
        }

        /** Validation macro-F1 of the kept (best) epoch; NaN without labelled validation windows. */
        public double bestValidationMacroF1() {
            return bestEpoch < 1 || bestEpoch > validationMacroF1.length ? Double.NaN : validationMacroF1[bestEpoch - 1];
        }

        /** The model under the head (the pretrained one for a probe; fine-tuned otherwise). */
        CrosslModel model() {
            return model;
        }

        Layer head() {
            return head;
        }

        Settings settings() {
            return settings;
        }

        /** A probe's feature standardisation {mean, std} (training statistics), or null. */
        INDArray[] standardisation() {
            return standardise;
        }

        /** Class predictions for every window of {@code data} (normalised as the model was trained). */
        public int[] predict(WindowDataset data) {
            return Downstream.predict(model, head, settings.features(), standardise, data, 256);
        }

        /** Metrics on the labelled windows of {@code data}. */
        public ClassificationMetrics score(WindowDataset data) {
            int[] idx = labelled(data);
            WindowDataset l = data.subset(idx);
            if (cache != null) {
                INDArray x = standardised(model, settings.features(), WindowDataset.rows(cache.of(model, settings.features(), data), idx),
                        standardise, WindowDataset.rows(data.presence(), idx));
                return ClassificationMetrics.of(l.labels(), argMax(head.forward(x, Pass.inference()).output()), data.classNames());
            }
            return ClassificationMetrics.of(l.labels(), predict(l), data.classNames());
        }
    }

    /**
     * Features of whole datasets under one frozen model, computed once: linear probes on the same
     * pretrained model (one per label fraction) and their scoring with devices absent all read the
     * same rows. Keyed by dataset instance; holds {@code [N, F]} per dataset. Use one cache per
     * pretrained model, and only for {@link Mode#PROBE}.
     */
    public static final class FeatureCache {
        private final java.util.Map<WindowDataset, INDArray> byData = new java.util.IdentityHashMap<>();

        INDArray of(CrosslModel model, CrosslModel.Features which, WindowDataset data) {
            return byData.computeIfAbsent(data, d -> features(model, which, d, 256));
        }
    }

    /** Fewest head steps per epoch, whatever the number of labelled windows. */
    static final int MIN_STEPS = 20;

    private Downstream() {
    }

    /**
     * Trains a head on the labelled windows {@code trainIndices} of {@code train} (already
     * normalised), with early stopping on the labelled windows of {@code validation}.
     */
    public static Trained fit(CrosslModel model, WindowDataset train, int[] trainIndices, WindowDataset validation, Settings s, long seed) {
        return fit(model, train, trainIndices, validation, s, seed, null);
    }

    /**
     * As {@link #fit(CrosslModel, WindowDataset, int[], WindowDataset, Settings, long)}; a probe
     * reads its training, validation and (in {@link Trained#score}) test features from
     * {@code cache} when given, which must belong to this model's weights.
     */
    public static Trained fit(CrosslModel model, WindowDataset train, int[] trainIndices, WindowDataset validation, Settings s, long seed,
                              FeatureCache cache) {
        FeatureCache fc = s.mode() == Mode.PROBE ? cache : null;
        int classes = train.classNames().size();
        Layer head = head(model.featureSize(s.features()), classes, s.classifier(), model.dataType(), seed);
        List<Parameter> headParams = new ArrayList<>(head.parameters());
        List<Parameter> modelParams = s.mode() == Mode.FINETUNE ? new ArrayList<>(model.namedParameters().values()) : List.of();
        List<Parameter> params = new ArrayList<>(headParams);
        params.addAll(modelParams);
        Adam adam = new Adam(s.optimizer(), headParams);
        OptimizerConfig o = s.optimizer();
        Adam backboneAdam = modelParams.isEmpty() ? null : new Adam(new OptimizerConfig(o.type(), o.learningRate() * s.backboneLearningRateScale(),
                o.beta1(), o.beta2(), o.epsilon(), o.l2()), modelParams);
        SplittableRandom shuffle = Seeds.stream(seed, "downstream-shuffle");
        Pass pass = s.mode() == Mode.FINETUNE ? Pass.training(Seeds.stream(seed, "downstream-dropout")) : Pass.inference();
        // the MLP head has dropout of its own, also when the model under it is frozen
        Pass headPass = s.classifier() == Classifier.MLP ? Pass.training(Seeds.stream(seed, "downstream-head-dropout")) : pass;
        int[] valIdx = labelled(validation);
        WindowDataset val = validation.subset(valIdx);
        // a probe reads fixed features: compute them once
        INDArray probeFeatures = s.mode() != Mode.PROBE ? null
                : fc != null ? WindowDataset.rows(fc.of(model, s.features(), train), trainIndices)
                : features(model, s.features(), train.subset(trainIndices), 256);
        // a probe reads standardised features (training statistics): Z's scale is whatever pretraining left
        INDArray[] standardise = null;
        if (probeFeatures != null) {
            INDArray present = presentColumns(model, s.features(), WindowDataset.rows(train.presence(), trainIndices));
            standardise = standardisation(probeFeatures, present);
            probeFeatures = standardised(probeFeatures, standardise, present);
        }
        INDArray[] scale = standardise;
        INDArray fixed = probeFeatures;
        // the frozen model gives the validation windows the same features every epoch: compute them once too
        INDArray valFixed = probeFeatures == null || val.size() == 0 ? null
                : standardised(model, s.features(),
                        fc != null ? WindowDataset.rows(fc.of(model, s.features(), validation), valIdx) : features(model, s.features(), val, 256),
                        standardise, val.presence());
        int[] labels = new int[trainIndices.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = train.label(trainIndices[i]);
        }
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        List<INDArray> bestParams = ParameterSnapshot.take(params);
        double[] history = new double[s.epochs()];
        int since = 0;
        int epochsRun = 0;
        // few labels: an epoch still takes MIN_STEPS steps, cycling through reshuffled windows
        boolean cycle = (trainIndices.length + s.batchSize() - 1) / s.batchSize() < MIN_STEPS;
        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            int[] order = cycle ? cycled(trainIndices.length, MIN_STEPS * s.batchSize(), shuffle) : Shuffling.permutation(trainIndices.length, shuffle);
            for (int start = 0; start < order.length; start += s.batchSize()) {
                int[] pos = Arrays.copyOfRange(order, start, Math.min(order.length, start + s.batchSize()));
                if (pos.length < 2 && order.length >= 2) {
                    continue; // a batch of one adds noise, not information
                }
                int[] y = new int[pos.length];
                int[] windows = new int[pos.length];
                for (int i = 0; i < pos.length; i++) {
                    y[i] = labels[pos[i]];
                    windows[i] = trainIndices[pos[i]];
                }
                boolean frozen = fixed != null || epoch <= s.probeEpochs();
                Workspaces.run("crossl-downstream", () -> {
                    adam.zeroGrad();
                    if (backboneAdam != null) {
                        backboneAdam.zeroGrad();
                    }
                    Forward f = fixed != null ? null : model.features(train.batch(windows), s.features(), frozen ? Pass.inference() : pass);
                    INDArray x = fixed != null ? WindowDataset.rows(fixed, pos) : f.output();
                    Forward logits = head.forward(x, headPass);
                    SoftmaxCrossEntropy.Result ce = SoftmaxCrossEntropy.of(logits.output(), y);
                    INDArray gx = logits.backward(ce.grad());
                    if (!frozen) {
                        f.backward(gx);
                    }
                    adam.step();
                    if (backboneAdam != null && !frozen) {
                        backboneAdam.step();
                    }
                });
            }
            epochsRun = epoch;
            double f1 = val.size() == 0 ? Double.NaN
                    : ClassificationMetrics.of(val.labels(), valFixed != null ? argMax(head.forward(valFixed, Pass.inference()).output())
                            : predict(model, head, s.features(), scale, val, 256), val.classNames()).macroF1();
            history[epoch - 1] = f1;
            if (Double.isNaN(f1) || f1 > best) {
                best = Double.isNaN(f1) ? best : f1;
                bestEpoch = epoch;
                bestParams = ParameterSnapshot.take(params);
                since = 0;
            } else if (epoch > s.probeEpochs() && ++since >= s.patience()) { // the head-only epochs never stop the run before the model has learned
                break;
            }
        }
        ParameterSnapshot.restore(params, bestParams);
        return new Trained(model, head, s, Arrays.copyOf(history, epochsRun), bestEpoch, standardise, fc);
    }

    /** A fresh classifier on {@code in} features, initialised from {@code seed}. */
    static Layer head(int in, int classes, Classifier classifier, DataType type, long seed) {
        SplittableRandom rng = Seeds.stream(seed, "init/head");
        if (classifier == Classifier.LINEAR) {
            return new Dense("head", in, classes, type, rng);
        }
        return new Sequential(List.of(new Dense("head.hidden", in, 128, type, rng.split()), new ReLU(), new Dropout(0.1),
                new Dense("head.out", 128, classes, type, rng.split())));
    }

    static INDArray features(CrosslModel model, CrosslModel.Features which, WindowDataset data, int batch) {
        List<INDArray> parts = new ArrayList<>();
        for (int start = 0; start < data.size(); start += batch) {
            int[] idx = Shuffling.range(start, Math.min(data.size(), start + batch));
            parts.add(Workspaces.run("crossl-downstream-features",
                    () -> model.features(data.batch(idx), which, Pass.inference()).output().detach()));
        }
        return parts.isEmpty() ? Nd4j.create(model.dataType(), 0, model.featureSize(which))
                : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    static int[] predict(CrosslModel model, Layer head, CrosslModel.Features which, INDArray[] standardise, WindowDataset data, int batch) {
        int[] out = new int[data.size()];
        for (int start = 0; start < data.size(); start += batch) {
            int[] idx = Shuffling.range(start, Math.min(data.size(), start + batch));
            int from = start;
            Workspaces.run("crossl-downstream-predict", () -> {
                int[] p = argMax(head.forward(headInput(model, which, standardise, data.batch(idx)), Pass.inference()).output());
                System.arraycopy(p, 0, out, from, p.length);
            });
        }
        return out;
    }

    /** Softmax class probabilities for every window of {@code data} (normalised), {@code [N, K]}. */
    static INDArray probabilities(CrosslModel model, Layer head, CrosslModel.Features which, INDArray[] standardise, WindowDataset data,
                                  int batch, int classes) {
        List<INDArray> parts = new ArrayList<>();
        for (int start = 0; start < data.size(); start += batch) {
            int[] idx = Shuffling.range(start, Math.min(data.size(), start + batch));
            parts.add(Workspaces.run("crossl-downstream-predict", () -> {
                INDArray logits = head.forward(headInput(model, which, standardise, data.batch(idx)), Pass.inference()).output();
                return SoftmaxCrossEntropy.probabilities(logits).detach();
            }));
        }
        return parts.isEmpty() ? Nd4j.create(model.dataType(), 0, classes) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    /** What the head reads for a batch: its features, standardised when {@code standardise} is given (a probe). */
    private static INDArray headInput(CrosslModel model, CrosslModel.Features which, INDArray[] standardise, WindowBatch b) {
        INDArray x = model.features(b, which, Pass.inference()).output();
        return standardise == null ? x : standardised(model, which, x, standardise, b.presence());
    }

    /** {@link #standardised(INDArray, INDArray[], INDArray)} of features whose rows have {@code presence [N, M]}. */
    static INDArray standardised(CrosslModel model, CrosslModel.Features which, INDArray x, INDArray[] st, INDArray presence) {
        return standardised(x, st, presentColumns(model, which, presence));
    }

    /**
     * {@code [N, F]}: 1 where a row's feature column comes from what was recorded, 0 in the block of
     * an absent modality (its {@code D} columns of {@code MODALITIES}, after Z's for {@code BOTH});
     * null when nothing is absent or the features are Z alone (the aggregator already handles absence).
     */
    static INDArray presentColumns(CrosslModel model, CrosslModel.Features which, INDArray presence) {
        if (which == CrosslModel.Features.GLOBAL || presence.length() == 0 || presence.minNumber().doubleValue() >= 1) {
            return null;
        }
        int m = (int) presence.size(1);
        long n = presence.size(0);
        int d = model.featureSize(CrosslModel.Features.MODALITIES) / m;
        int offset = which == CrosslModel.Features.BOTH ? model.featureSize(CrosslModel.Features.GLOBAL) : 0;
        DataType type = model.dataType();
        INDArray out = Nd4j.ones(type, n, model.featureSize(which));
        INDArray p = presence.castTo(type);
        for (int j = 0; j < m; j++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(offset + (long) j * d, offset + (long) (j + 1) * d)).muliColumnVector(p.getColumn(j).reshape(n, 1));
        }
        return out;
    }

    /**
     * A probe's standardisation {μ, σ} per feature column, over the rows where that column is present
     * ({@code present} null: every row); σ is the population standard deviation plus 1e-6. A column
     * present in fewer than two training rows has no spread to divide by: it keeps its mean (0 when
     * never present) and σ = 1, so a window that has it at test time is not blown up by 1/1e-6.
     */
    static INDArray[] standardisation(INDArray x, INDArray present) {
        if (present == null) {
            return new INDArray[] {x.mean(0), x.std(false, 0).addi(1e-6)};
        }
        INDArray count = present.sum(0);
        INDArray divisor = Transforms.max(count, 1.0, true);
        INDArray mu = x.mul(present).sum(0).divi(divisor);
        INDArray centred = x.subRowVector(mu).muli(present);
        INDArray sd = Transforms.sqrt(centred.muli(centred).sum(0).divi(divisor), false).addi(1e-6);
        for (long c = 0; c < count.length(); c++) {
            if (count.getDouble(c) < 2) {
                sd.putScalar(c, 1.0);
            }
        }
        return new INDArray[] {mu, sd};
    }

    /**
     * {@code (x − μ)/σ}, with the block of an absent modality set to 0, its training mean: the zeros an
     * absent encoder gives are a value the probe never saw, and would move its logits as far as
     * {@code −μ/σ} reaches; imputed with the mean, the block adds what an average window adds.
     */
    static INDArray standardised(INDArray x, INDArray[] st, INDArray present) {
        INDArray z = x.subRowVector(st[0]).diviRowVector(st[1]);
        return present == null ? z : z.muli(present);
    }

    private static int[] argMax(INDArray logits) {
        INDArray arg = logits.argMax(1);
        int[] out = new int[(int) logits.size(0)];
        for (int i = 0; i < out.length; i++) {
            out[i] = arg.getInt(i);
        }
        return out;
    }

    /** Indices of the labelled windows of {@code data}. */
    public static int[] labelled(WindowDataset data) {
        int[] l = data.labels();
        return java.util.stream.IntStream.range(0, l.length).filter(i -> l[i] != WindowBatch.UNLABELLED).toArray();
    }

    /** {@code length} positions in 0..n−1: whole permutations one after another, the last cut short. */
    private static int[] cycled(int n, int length, SplittableRandom rng) {
        int[] out = new int[length];
        for (int filled = 0; filled < length; ) {
            int[] p = Shuffling.permutation(n, rng);
            int k = Math.min(n, length - filled);
            System.arraycopy(p, 0, out, filled, k);
            filled += k;
        }
        return out;
    }

    /** One line for logs. */
    public static String describe(Trained t) {
        return String.format(Locale.ROOT, "best epoch %d of %d, validation macro-F1 %s", t.bestEpoch(), t.validationMacroF1().length,
                Arrays.toString(t.validationMacroF1()));
    }
}
