package org.crossl.core.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crossl.api.Masker;
import org.crossl.api.SSLObjective;
import org.crossl.api.data.WindowBatch;
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
 * <p>Randomness comes from named streams of one seed ({@link Seeds}): {@code shuffle/epoch<e>} (the
 * epoch's order), {@code masks/epoch<e>/batch<b>} and {@code dropout/epoch<e>/batch<b>} (one
 * batch's masks and dropout), and {@code validation-masks} (re-created identically every epoch).
 * Naming streams by epoch and batch is what lets a run resume from a checkpoint at any step and
 * end exactly where an uninterrupted one would.
 * Data must already be normalised.
 */
public final class Pretrainer {
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
        try {
            return fit(train, validation, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // unreachable: no checkpoints, no I/O
        }
    }

    /**
     * Trains, writing checkpoints to {@code checkpoints} (if not null) every
     * {@link Checkpoints#everySteps()} steps and after every epoch, and first continuing from the
     * newest checkpoint there, if any.
     *
     * @throws TrainingDivergedException when the loss, one of its terms or a weight stops being finite
     * @throws IOException when a checkpoint cannot be written or read
     */
    public PretrainResult fit(WindowDataset train, WindowDataset validation, Checkpoints checkpoints) throws IOException {
        model.checkCompatible(train.modalities(), "the training split");
        if (train.size() < 2) {
            throw new IllegalArgumentException("pretraining needs at least 2 training windows, got " + train.size());
        }
        boolean hasValidation = validation != null && validation.size() >= 2;
        int bs = config.batchSize();
        int batches = countBatches(train.size(), bs);
        listener.onStart(config.epochs(), batches, train.size(), hasValidation ? validation.size() : 0);

        Map<String, Parameter> named = model.namedParameters();
        List<Parameter> params = new ArrayList<>(named.values());
        Adam adam = new Adam(optimizerConfig, params);
        TrainingStep step = new TrainingStep(model, masker, objective, adam, seed);
        List<INDArray> best = ParameterSnapshot.take(params);
        Checkpoints.Start resumeFrom = Checkpoints.start(checkpoints, named, adam, best, listener);
        TrainingState st = resumeFrom.state();
        String lastCheckpoint = resumeFrom.from();
        if (st.stopReason() == null) {
            checkMemory(train, Math.min(bs, train.size()));
        }
        EpochLedger ledger = new EpochLedger(config, hasValidation, st, best);
        long globalStep = st.globalStep();
        long t0 = System.nanoTime() - (long) (st.elapsedSeconds() * 1e9);

        for (int epoch = st.epoch(); ledger.stopReason() == null && epoch <= config.epochs(); epoch++) {
            boolean resumedEpoch = epoch == st.epoch();
            long e0 = System.nanoTime() - (resumedEpoch ? (long) (st.epochSeconds() * 1e9) : 0);
            // every epoch's order and every batch's masks and dropout come from streams named by
            // epoch and batch, so a run resumed at any step boundary draws what it would have drawn
            int[] order = Shuffling.permutation(train.size(), Seeds.stream(seed, "shuffle/epoch" + epoch));
            Map<String, Double> termSums = new LinkedHashMap<>(resumedEpoch ? st.termSums() : Map.of());
            double lossSum = resumedEpoch ? st.lossSum() : 0;
            int seen = resumedEpoch ? st.seen() : 0;
            for (int bi = resumedEpoch ? st.nextBatch() : 0; bi < batches; bi++) {
                int start = bi * bs;
                int end = Math.min(order.length, start + bs);
                int[] idx = java.util.Arrays.copyOfRange(order, start, end);
                CrosslModel.StepResult r = step.run(train.batch(idx), epoch, bi, globalStep + 1, lastCheckpoint);
                globalStep++;
                lossSum += r.loss() * idx.length;
                r.terms().forEach((k, v) -> termSums.merge(k, v * idx.length, Double::sum));
                seen += idx.length;
                listener.onBatch(epoch, bi + 1, batches, r.loss());
                if (checkpoints != null && checkpoints.everySteps() > 0 && globalStep % checkpoints.everySteps() == 0 && bi + 1 < batches) {
                    TrainingState mid = ledger.midEpoch(epoch, bi + 1, globalStep, lossSum, seen, termSums, (System.nanoTime() - t0) / 1e9,
                            (System.nanoTime() - e0) / 1e9);
                    lastCheckpoint = checkpoints.save(mid, named, adam, ledger.best(), false).toString();
                }
            }
            double valLoss = Double.NaN;
            Map<String, Double> valTerms = new LinkedHashMap<>();
            double[] perDim;
            if (hasValidation) {
                valLoss = evaluate(validation, valTerms);
                perDim = zSpread(validation);
            } else {
                perDim = zSpread(train);
            }
            EpochMetrics em = ledger.close(epoch, lossSum, termSums, seen, valLoss, valTerms, perDim, (System.nanoTime() - e0) / 1e9, params,
                    listener);
            if (checkpoints != null) {
                lastCheckpoint = checkpoints.save(ledger.endOfEpoch(epoch, globalStep, (System.nanoTime() - t0) / 1e9), named, adam,
                        ledger.best(), em.improved()).toString();
            }
        }
        return ledger.finish(params, t0, listener);
    }

    /** Above this share of the memory limit, the dry run's estimate is printed as a warning. */
    static final double MEMORY_WARNING = 0.85;

    /**
     * Before the first step: one dry-run training step at the full batch size (forward and backward,
     * gradients discarded, its own random streams, so training draws exactly what it would have
     * drawn without it) measures the working memory a step needs, whatever the plugins are. When
     * that plus what the process already holds exceeds what it may use ({@link MemoryUse#limitMb()}:
     * an explicit limit or the container's), training does not start: an error gives the estimate and what to lower, instead of an
     * allocation failure in the middle of an epoch. {@code -Dcrossl.memoryCheck=false} skips it.
     */
    private void checkMemory(WindowDataset train, int batch) {
        if (!Boolean.parseBoolean(System.getProperty("crossl.memoryCheck", "true"))) {
            return; // -Dcrossl.memoryCheck=false: no dry run
        }
        int[] idx = new int[batch];
        for (int i = 0; i < batch; i++) {
            idx[i] = i;
        }
        long before = MemoryUse.now().rssMb();
        long limit = MemoryUse.limitMb();
        long stepBytes;
        try {
            stepBytes = org.crossl.core.Workspaces.measure("crossl-dry-run", () -> {
                model.sslStep(train.batch(idx), masker, objective, Pass.training(Seeds.stream(seed, "dry-run/dropout")),
                        Seeds.stream(seed, "dry-run/masks"), true);
            });
        } catch (OutOfMemoryError e) {
            throw new MemoryLimitException(String.format(java.util.Locale.ROOT, "a dry-run training step at batch %d could not allocate its "
                    + "memory (%s)%s; lower training.batchSize, shorten the windows or narrow the model, or give the process more memory",
                    batch, e.getMessage(), limit > 0 ? " with " + before + " MB held of the " + limit + " MB this process may use" : ""), e);
        } finally {
            for (Parameter p : model.namedParameters().values()) {
                p.grad().assign(0);
            }
        }
        long stepMb = (stepBytes + (1 << 20) - 1) >> 20;
        long need = before + stepMb;
        if (limit > 0 && need > limit) {
            throw new MemoryLimitException(String.format(java.util.Locale.ROOT, "not enough memory to train: a training step at batch %d needs "
                    + "about %d MB of working memory (measured on a dry-run step, about %.1f MB a window); with the %d MB this process already "
                    + "holds (JVM, model, data) that is about %d MB, more than the %d MB it may use (%s); lower training.batchSize (to about %d "
                    + "here), shorten the windows or narrow the model, or give the process more memory", batch, stepMb, stepMb / (double) batch,
                    before, need, limit, limitSource(), Math.max(1, (long) ((limit - before) / Math.max(1e-9, stepMb / (double) batch)))));
        }
        long available = MemoryUse.availableMb();
        long soft = limit > 0 && available > 0 ? Math.min(limit, available) : Math.max(limit, available);
        if (soft > 0 && need > MEMORY_WARNING * soft) {
            listener.onMessage(String.format(java.util.Locale.ROOT, "warning: training will use about %d of the %d MB %s (a step at batch %d "
                    + "needs about %d MB); lower training.batchSize if the machine runs short", need, soft,
                    soft == limit ? "this process may use" : "available on this machine now", batch, stepMb));
        }
    }

    private static String limitSource() {
        return System.getProperty("crossl.memoryLimitMb", System.getenv("CROSSL_MEMORY_LIMIT_MB")) != null
                ? "crossl.memoryLimitMb / CROSSL_MEMORY_LIMIT_MB, or the container's limit" : "the container's memory limit";
    }

    /** Below this mean per-dimension std of Z on validation windows, a warning says the representation is collapsing. */
    public static final double COLLAPSE_STD = 0.01;

    /** Which of the batch's inputs hold NaN or Inf, or, if none do, that the network overflowed. */
    static String nonFiniteInputs(WindowBatch batch) {
        List<String> bad = new ArrayList<>();
        for (int m = 0; m < batch.modalities().size(); m++) {
            INDArray x = batch.inputs().get(m);
            if (x.isNaN().any() || x.isInfinite().any()) {
                bad.add("'" + batch.modalities().get(m).name() + "'");
            }
        }
        return bad.isEmpty() ? "the inputs are finite, so weights or activations overflowed; lower optimizer.learningRate"
                : "the input windows of modality " + String.join(", ", bad) + " hold NaN or infinite values; clean the data "
                + "(a reader should mark such samples absent)";
    }

    static void checkLoss(CrosslModel.StepResult res, int epoch, int batch, long step, String lastCheckpoint) {
        if (Double.isFinite(res.loss())) {
            return;
        }
        List<String> bad = new ArrayList<>();
        res.terms().forEach((k, v) -> {
            if (!Double.isFinite(v)) {
                bad.add("'" + k + "' is " + v);
            }
        });
        throw new TrainingDivergedException("the loss became " + res.loss() + " at epoch " + epoch + ", batch " + batch + " (step " + step + ")"
                + (bad.isEmpty() ? "" : ": term " + String.join(", ", bad)) + "; lower optimizer.learningRate or check the data for extreme values"
                + keptCheckpoint(lastCheckpoint));
    }

    static void checkWeights(List<Parameter> params, List<String> names, int epoch, int batch, long step, String lastCheckpoint) {
        for (int i = 0; i < params.size(); i++) {
            double s = params.get(i).value().sumNumber().doubleValue();
            if (!Double.isFinite(s)) {
                throw new TrainingDivergedException("parameter '" + names.get(i) + "' became " + (Double.isNaN(s) ? "NaN" : "infinite")
                        + " in the update of epoch " + epoch + ", batch " + batch + " (step " + step + "): its gradient overflowed; "
                        + "lower optimizer.learningRate" + keptCheckpoint(lastCheckpoint));
            }
        }
    }

    static String keptCheckpoint(String path) {
        return path == null ? "" : "; the last good checkpoint is kept: " + path;
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
    public double[] zSpread(WindowDataset data) {
        INDArray z = model.embedNormalised(data, 256);
        return z.std(false, 0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
    }

    /** Batches in an epoch of {@code n} windows at batch size {@code bs}: a last partial batch counts when it holds 2 or more windows. */
    public static int countBatches(int n, int bs) {
        int full = n / bs;
        int rest = n % bs;
        return full + (rest >= 2 ? 1 : 0);
    }
}
