package org.crossl.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crossl.api.Masker;
import org.crossl.api.SSLObjective;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.core.Seeds;
import org.crossl.core.Workspaces;
import org.crossl.core.config.OptimizerConfig;
import org.crossl.core.config.TrainingConfig;
import org.crossl.core.model.CrosslModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The self-supervised pretraining loop: shuffled mini-batches, two masked views per batch, the
 * objective's gradient, Adam; after every epoch the validation loss and the spread of Z; early
 * stopping on the validation loss with the best epoch's parameters restored at the end.
 *
 * <p>Randomness comes from named streams of one seed ({@link Seeds}): {@code shuffle},
 * {@code masks}, {@code dropout}, and {@code validation-masks} (re-created identically every epoch).
 * Data must already be normalised.
 */
public final class Pretrainer {
    private static final String TRAIN_WORKSPACE = "crossl-train-step";
    private static final String EVAL_WORKSPACE = "crossl-eval-batch";
    private final CrosslModel model;
    private final Masker masker;
    private final SSLObjective objective;
    private final OptimizerConfig optimizerConfig;
    private final TrainingConfig config;
    private final long seed;
    private final TrainingListener listener;

    public Pretrainer(CrosslModel model, Masker masker, SSLObjective objective, OptimizerConfig optimizer,
                      TrainingConfig config, long seed, TrainingListener listener) {
        this.model = model;
        this.masker = masker;
        this.objective = objective;
        this.optimizerConfig = optimizer;
        this.config = config;
        this.seed = seed;
        this.listener = listener == null ? new TrainingListener() {
        } : listener;
    }

    public PretrainResult fit(WindowDataset train, WindowDataset validation) {
        model.checkCompatible(train.modalities(), "the training split");
        if (train.size() < 2) {
            throw new IllegalArgumentException("pretraining needs at least 2 training windows, got " + train.size());
        }
        boolean hasValidation = validation != null && validation.size() >= 2;
        int bs = config.batchSize();
        int batches = countBatches(train.size(), bs);
        listener.onStart(config.epochs(), batches, train.size(), hasValidation ? validation.size() : 0);

        List<Parameter> params = new ArrayList<>(model.namedParameters().values());
        Adam adam = new Adam(optimizerConfig, params);
        SplittableRandom shuffle = Seeds.stream(seed, "shuffle");
        SplittableRandom masks = Seeds.stream(seed, "masks");
        SplittableRandom dropout = Seeds.stream(seed, "dropout");
        List<EpochMetrics> history = new ArrayList<>();
        List<INDArray> best = ParameterSnapshot.take(params);
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        String stop = "max epochs (" + config.epochs() + ")";
        long t0 = System.nanoTime();

        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long e0 = System.nanoTime();
            int[] order = Shuffling.permutation(train.size(), shuffle);
            Map<String, Double> termSums = new LinkedHashMap<>();
            double lossSum = 0;
            int seen = 0;
            Pass pass = Pass.training(dropout.split());
            for (int bi = 0; bi < batches; bi++) {
                int start = bi * bs;
                int end = Math.min(order.length, start + bs);
                int[] idx = java.util.Arrays.copyOfRange(order, start, end);
                int ep = epoch;
                int bn = bi + 1;
                CrosslModel.StepResult r = Workspaces.run(TRAIN_WORKSPACE, () -> {
                    adam.zeroGrad();
                    CrosslModel.StepResult res = model.sslStep(train.batch(idx), masker, objective, pass, masks, true);
                    if (!Double.isFinite(res.loss())) {
                        throw new IllegalStateException("the loss became " + res.loss() + " at epoch " + ep + ", batch " + bn
                                + "; lower optimizer.learningRate or check the data for extreme values");
                    }
                    adam.step();
                    return res;
                });
                lossSum += r.loss() * idx.length;
                r.terms().forEach((k, v) -> termSums.merge(k, v * idx.length, Double::sum));
                seen += idx.length;
                listener.onBatch(epoch, bi + 1, batches, r.loss());
            }
            double trainLoss = lossSum / seen;
            int n = seen;
            Map<String, Double> trainTerms = new LinkedHashMap<>();
            termSums.forEach((k, v) -> trainTerms.put(k, v / n));

            double valLoss = Double.NaN;
            Map<String, Double> valTerms = new LinkedHashMap<>();
            double[] perDim;
            if (hasValidation) {
                valLoss = evaluate(validation, valTerms);
                perDim = zSpread(validation);
            } else {
                perDim = zSpread(train);
            }
            double[] zs = {java.util.Arrays.stream(perDim).average().orElse(Double.NaN),
                    java.util.Arrays.stream(perDim).min().orElse(Double.NaN)};
            double monitored = hasValidation ? valLoss : trainLoss;
            boolean improved = monitored < bestLoss - config.minDelta();
            if (improved) {
                bestLoss = monitored;
                bestEpoch = epoch;
                sinceBest = 0;
                best = ParameterSnapshot.take(params);
            } else {
                sinceBest++;
            }
            EpochMetrics em = new EpochMetrics(epoch, trainLoss, valLoss, trainTerms, valTerms, zs[0], zs[1], perDim,
                    (System.nanoTime() - e0) / 1e9, improved);
            history.add(em);
            listener.onEpoch(em);
            if (sinceBest >= config.patience()) {
                stop = "early stopping: no " + (hasValidation ? "validation" : "training") + " loss improvement for "
                        + config.patience() + " epochs";
                break;
            }
        }
        ParameterSnapshot.restore(params, best);
        PretrainResult result = new PretrainResult(history, bestEpoch, stop, (System.nanoTime() - t0) / 1e9);
        listener.onEnd(result);
        return result;
    }

    /**
     * Mean SSL loss on a split with inference passes. Batches are drawn in a fixed seeded order
     * (windows of one recording are consecutive, and a batch of neighbours would understate the
     * spread that VICReg's variance term measures) with masks from a fixed stream, so every epoch
     * is scored on the same batches and masks.
     */
    public double evaluate(WindowDataset data, Map<String, Double> termsOut) {
        SplittableRandom masks = Seeds.stream(seed, "validation-masks");
        int[] order = Shuffling.permutation(data.size(), Seeds.stream(seed, "validation-order"));
        int bs = Math.max(config.batchSize(), 64);
        double sum = 0;
        int seen = 0;
        Map<String, Double> termSums = new LinkedHashMap<>();
        for (int start = 0; start < data.size(); start += bs) {
            int end = Math.min(data.size(), start + bs);
            if (end - start < 2) {
                break;
            }
            int[] idx = java.util.Arrays.copyOfRange(order, start, end);
            CrosslModel.StepResult r = Workspaces.run(EVAL_WORKSPACE,
                    () -> model.sslStep(data.batch(idx), masker, objective, Pass.inference(), masks, false));
            sum += r.loss() * idx.length;
            r.terms().forEach((k, v) -> termSums.merge(k, v * idx.length, Double::sum));
            seen += idx.length;
        }
        int n = seen;
        termSums.forEach((k, v) -> termsOut.put(k, v / n));
        return sum / seen;
    }

    /** The per-dimension (population) std of Z over the windows of {@code data}. */
    private double[] zSpread(WindowDataset data) {
        INDArray z = model.embedNormalised(data, 256);
        return z.std(false, 0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
    }

    private static int countBatches(int n, int bs) {
        int full = n / bs;
        int rest = n % bs;
        return full + (rest >= 2 ? 1 : 0);
    }
}
