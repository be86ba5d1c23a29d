package org.crossl.core.train;

import java.util.List;

/**
 * What a pretraining run did.
 *
 * @param history    one entry per epoch run
 * @param bestEpoch  the epoch whose parameters the model now holds
 * @param stopReason why it ended ({@code max epochs}, {@code early stopping: ...})
 * @param seconds    total wall time
 */
public record PretrainResult(List<EpochMetrics> history, int bestEpoch, String stopReason, double seconds) {
}
