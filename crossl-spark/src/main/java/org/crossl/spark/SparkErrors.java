package org.crossl.spark;

import org.crossl.core.config.ConfigError;
import org.crossl.core.train.TrainingDivergedException;

/**
 * Turns a failed Spark job into the error the same failure gives locally. Spark reports a task's
 * exception inside a {@code SparkException} ("Job aborted due to stage failure: …") after its
 * retries; when the task's own exception travelled with it, that is what the user sees.
 */
final class SparkErrors {
    private SparkErrors() {
    }

    static RuntimeException unwrap(RuntimeException e, String where, String lastCheckpoint) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof TrainingDivergedException || c instanceof ConfigError || c instanceof IllegalArgumentException
                    || c instanceof org.crossl.api.spi.ConfigException) {
                return (RuntimeException) c;
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.toString() : root.getMessage();
        return new IllegalStateException("the Spark job of " + where + " failed after Spark's retries: " + msg
                + (lastCheckpoint == null ? "" : "; the last good checkpoint is kept: " + lastCheckpoint
                + " (crossl pretrain --resume DIR continues from it)"), e);
    }
}
