package org.crossl.core.config;

import org.crossl.api.spi.ConfigException;

/**
 * The {@code training:} section of pretraining.
 *
 * @param batchSize default 8 (reference); a last partial batch of fewer than 2 windows is skipped
 *                  (VICReg needs a batch spread)
 * @param epochs    maximum epochs, default 50
 * @param patience  stop after this many epochs without a validation-loss improvement, default 5
 * @param minDelta  an improvement must lower the validation loss by more than this, default 0
 * @param checkpointEverySteps a checkpoint every this many optimiser steps as well as after every
 *                  epoch, default 200; 0 for epoch ends only (runs with an output directory only)
 * @param keepCheckpoints the newest checkpoints kept (besides {@code checkpoint-best}), default 2
 */
public record TrainingConfig(Integer batchSize, Integer epochs, Integer patience, Double minDelta, Integer checkpointEverySteps,
                             Integer keepCheckpoints) {
    public TrainingConfig {
        if (batchSize == null) {
            batchSize = 8;
        }
        if (batchSize < 2) {
            throw new ConfigException("batchSize", "must be at least 2 (the objective needs batch statistics), got " + batchSize);
        }
        if (epochs == null) {
            epochs = 50;
        }
        if (epochs < 1) {
            throw new ConfigException("epochs", "must be at least 1, got " + epochs);
        }
        if (patience == null) {
            patience = 5;
        }
        if (patience < 1) {
            throw new ConfigException("patience", "must be at least 1, got " + patience);
        }
        if (minDelta == null) {
            minDelta = 0.0;
        }
        if (!(minDelta >= 0)) {
            throw new ConfigException("minDelta", "must be non-negative, got " + minDelta);
        }
        if (checkpointEverySteps == null) {
            checkpointEverySteps = 200;
        }
        if (checkpointEverySteps < 0) {
            throw new ConfigException("checkpointEverySteps", "must be 0 (epoch ends only) or a positive step count, got " + checkpointEverySteps);
        }
        if (keepCheckpoints == null) {
            keepCheckpoints = 2;
        }
        if (keepCheckpoints < 1) {
            throw new ConfigException("keepCheckpoints", "must be at least 1 (the newest is what --resume continues from), got " + keepCheckpoints);
        }
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(null, null, null, null, null, null);
    }
}
