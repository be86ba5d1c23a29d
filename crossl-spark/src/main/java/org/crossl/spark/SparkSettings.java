package org.crossl.spark;

import org.crossl.api.spi.ConfigException;

/**
 * The config's {@code spark:} section.
 *
 * @param localSteps K, the optimiser steps each task takes between two averagings (default 16).
 *                   With one partition the result does not depend on K (averaging one task is the
 *                   identity): K only sets how often Spark's per-round overhead is paid. With several,
 *                   K = 1 is synchronous averaging and larger K is DL4J's parameter averaging.
 * @param partitions the training split is cut into this many parts, each trained by one task per
 *                   round (default 1 on a {@code local} master, else Spark's default parallelism);
 *                   {@code training.batchSize} is per task (docs/scale-out.md)
 */
public record SparkSettings(Integer localSteps, Integer partitions) {
    public static final int DEFAULT_LOCAL_STEPS = 16;

    public SparkSettings {
        if (localSteps == null) {
            localSteps = DEFAULT_LOCAL_STEPS;
        }
        if (localSteps < 1) {
            throw new ConfigException("localSteps", "must be at least 1, got " + localSteps);
        }
        if (partitions != null && partitions < 1) {
            throw new ConfigException("partitions", "must be at least 1, got " + partitions);
        }
    }
}
