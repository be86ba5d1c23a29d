package org.crossl.core.train;

import java.util.Map;

/**
 * One row of {@code metrics.csv}.
 *
 * @param epoch      1-based
 * @param trainLoss  mean SSL loss over the epoch's training batches (with dropout and fresh masks)
 * @param valLoss    mean SSL loss on the validation split (no dropout, masks from a fixed seed, so
 *                   epochs are comparable); NaN without a validation split
 * @param trainTerms the objective's terms, averaged over the training batches
 * @param valTerms   the same on validation
 * @param zStd       mean over dimensions of the per-dimension std of Z on validation windows (all
 *                   present modalities visible); near 0 means collapse
 * @param zStdMin    the smallest per-dimension std of Z
 * @param zStdPerDim the per-dimension std of Z, one entry per dimension
 * @param seconds    wall time of the epoch (training and validation)
 * @param improved   whether this epoch set a new best validation loss
 */
public record EpochMetrics(int epoch, double trainLoss, double valLoss, Map<String, Double> trainTerms,
                           Map<String, Double> valTerms, double zStd, double zStdMin, double[] zStdPerDim,
                           double seconds, boolean improved) {
}
