package org.crossl.spark;

import java.io.Serializable;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.DatasetCache;
import org.crossl.core.model.ModelAssembler;

/**
 * What every task needs to rebuild the run on its executor: the config (as text: configs are
 * re-parsed, never Java-serialised), the data root every executor sees, the dataset cache folder
 * (null: none), and the number of training partitions.
 */
record JobSpec(String configJson, String configSource, String dataRoot, String cacheDir, int partitions) implements Serializable {

    ExperimentConfig config() {
        return ExperimentConfig.parse(configJson, configSource, false);
    }

    /** The registry of plugins on this executor's class path, with the cache when there is one. */
    ModelAssembler assembler() {
        ModelAssembler a = Crossl.assembler();
        return cacheDir == null ? a : a.withCache(DatasetCache.at(java.nio.file.Path.of(cacheDir)));
    }

    /** Identifies the run's data on an executor: the same spec reads the same windows. */
    String key() {
        return org.crossl.core.Fingerprint.sha256(configJson, dataRoot + "|" + cacheDir + "|" + partitions);
    }
}
