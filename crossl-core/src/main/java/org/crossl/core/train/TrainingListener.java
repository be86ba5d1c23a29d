package org.crossl.core.train;

/** Hears the progress of a pretraining run (progress bars, logs, metric files). */
public interface TrainingListener {
    default void onStart(int epochs, int batchesPerEpoch, int trainWindows, int validationWindows) {
    }

    default void onBatch(int epoch, int batch, int batches, double loss) {
    }

    default void onEpoch(EpochMetrics metrics) {
    }

    default void onEnd(PretrainResult result) {
    }

    /** A line of information for the user (evaluation results, notices). */
    /**
     * A run continues from a checkpoint: {@code history} holds the epochs finished before it, and
     * training goes on at {@code epoch}, batch {@code nextBatch} (0-based).
     */
    default void onResume(java.util.List<EpochMetrics> history, int epoch, int nextBatch, String checkpoint) {
    }

    default void onMessage(String message) {
    }
}
