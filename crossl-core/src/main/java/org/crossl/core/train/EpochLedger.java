package org.crossl.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crossl.api.nn.Parameter;
import org.crossl.core.config.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a pretraining run keeps from epoch to epoch, whichever engine runs its steps: the finished
 * epochs' metrics, the best monitored loss (validation, or training without validation) with its
 * epoch and parameters, and the stopping rule (patience, then the epoch limit). It also writes the
 * {@link TrainingState} a checkpoint stores.
 */
public final class EpochLedger {
    private final TrainingConfig config;
    private final boolean hasValidation;
    private final List<EpochMetrics> history;
    private double bestLoss;
    private int bestEpoch;
    private int sinceBest;
    private List<INDArray> best;
    private String stop;

    /** Continues from {@code state} (a fresh run's is {@link #initial()}); {@code best} holds the best epoch's parameters so far. */
    public EpochLedger(TrainingConfig config, boolean hasValidation, TrainingState state, List<INDArray> best) {
        this.config = config;
        this.hasValidation = hasValidation;
        this.history = new ArrayList<>(state.history());
        this.bestLoss = state.bestLoss();
        this.bestEpoch = state.bestEpoch();
        this.sinceBest = state.sinceBest();
        this.stop = state.stopReason();
        this.best = best;
    }

    /** The state of a run that has not started. */
    public static TrainingState initial() {
        return new TrainingState(1, 0, 0, 0, 0, new LinkedHashMap<>(), new ArrayList<>(), Double.POSITIVE_INFINITY, 0, 0, 0, 0, null);
    }

    /**
     * Closes an epoch: its metrics from the sums of its batches and the validation reading, the
     * best parameters kept when the monitored loss improved by more than {@code training.minDelta},
     * the listener told, a warning when Z collapses, and the stopping rule applied.
     *
     * @param lossSum  Σ batch loss × batch size
     * @param termSums the same sums per objective term
     * @param seen     windows trained on in the epoch
     * @param valLoss  the validation loss (NaN without validation)
     * @param perDim   the per-dimension std of Z on validation windows (training windows without)
     */
    public EpochMetrics close(int epoch, double lossSum, Map<String, Double> termSums, int seen, double valLoss, Map<String, Double> valTerms,
                              double[] perDim, double seconds, List<Parameter> params, TrainingListener listener) {
        double trainLoss = lossSum / seen;
        Map<String, Double> trainTerms = new LinkedHashMap<>();
        termSums.forEach((k, v) -> trainTerms.put(k, v / seen));
        double zMean = Arrays.stream(perDim).average().orElse(Double.NaN);
        double zMin = Arrays.stream(perDim).min().orElse(Double.NaN);
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
        EpochMetrics em = new EpochMetrics(epoch, trainLoss, valLoss, trainTerms, valTerms, zMean, zMin, perDim, seconds, improved);
        history.add(em);
        listener.onEpoch(em);
        if (zMean < Pretrainer.COLLAPSE_STD) {
            listener.onMessage(String.format(Locale.ROOT, "warning: the representation is collapsing at epoch %d: the mean "
                    + "per-dimension std of Z is %.4f (below %.2f); check the objective's variance weight and the learning rate", epoch, zMean,
                    Pretrainer.COLLAPSE_STD));
        }
        if (sinceBest >= config.patience()) {
            stop = "early stopping: no " + (hasValidation ? "validation" : "training") + " loss improvement for " + config.patience() + " epochs";
        } else if (epoch == config.epochs()) {
            stop = "max epochs (" + config.epochs() + ")";
        }
        return em;
    }

    /**
     * The end of every training loop: the best epoch's parameters put back, the result (its wall
     * time counted from {@code startNanos}) told to the listener and returned.
     */
    public PretrainResult finish(List<Parameter> params, long startNanos, TrainingListener listener) {
        ParameterSnapshot.restore(params, best);
        PretrainResult result = new PretrainResult(history, bestEpoch, finalStopReason(), (System.nanoTime() - startNanos) / 1e9);
        listener.onEnd(result);
        return result;
    }

    /** Why training ended; null while it goes on. */
    public String stopReason() {
        return stop;
    }

    /** The stop reason, "max epochs" when the loop ran out without one. */
    public String finalStopReason() {
        return stop != null ? stop : "max epochs (" + config.epochs() + ")";
    }

    /** The state inside an epoch, before batch {@code nextBatch}. */
    public TrainingState midEpoch(int epoch, int nextBatch, long globalStep, double lossSum, int seen, Map<String, Double> termSums,
                                  double elapsedSeconds, double epochSeconds) {
        return new TrainingState(epoch, nextBatch, globalStep, lossSum, seen, termSums, history, bestLoss, bestEpoch, sinceBest,
                elapsedSeconds, epochSeconds, null);
    }

    /** The state after epoch {@code epoch} closed. */
    public TrainingState endOfEpoch(int epoch, long globalStep, double elapsedSeconds) {
        return new TrainingState(epoch + 1, 0, globalStep, 0, 0, Map.of(), history, bestLoss, bestEpoch, sinceBest, elapsedSeconds, 0, stop);
    }

    public List<EpochMetrics> history() {
        return history;
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best epoch's parameters (the initial ones before any epoch improved). */
    public List<INDArray> best() {
        return best;
    }
}
