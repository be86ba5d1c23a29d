package org.crossl.core.train;

import java.util.List;
import java.util.Map;

/**
 * The pretraining loop's state at a step boundary, besides the arrays (parameters, Adam's moments,
 * the best epoch's parameters) that a checkpoint stores beside it. With the seed, this is all a run
 * needs to continue exactly: the epoch's data order and every batch's masks and dropout come from
 * streams named by epoch and batch ({@link Pretrainer}).
 *
 * @param epoch          the epoch in progress (1-based)
 * @param nextBatch      the next batch of that epoch (0-based); 0 at an epoch boundary
 * @param globalStep     optimiser steps taken so far
 * @param lossSum        Σ batch loss × batch size over the epoch's finished batches
 * @param seen           windows in the epoch's finished batches
 * @param termSums       the same sums per objective term
 * @param history        the finished epochs' metrics
 * @param bestLoss       the best monitored loss so far (validation, or training without validation)
 * @param bestEpoch      its epoch (0: none yet)
 * @param sinceBest      epochs since it
 * @param elapsedSeconds wall time of the run so far, over all sessions
 * @param epochSeconds   wall time spent in the epoch in progress
 * @param stopReason     set when training has ended (early stopping or max epochs); a run resumed
 *                       from such a checkpoint only restores the best epoch and finishes
 */
public record TrainingState(int epoch, int nextBatch, long globalStep, double lossSum, int seen, Map<String, Double> termSums,
                            List<EpochMetrics> history, double bestLoss, int bestEpoch, int sinceBest, double elapsedSeconds,
                            double epochSeconds, String stopReason) {
}
