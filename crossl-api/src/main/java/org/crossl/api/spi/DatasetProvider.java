package org.crossl.api.spi;

import java.nio.file.Path;
import org.crossl.api.data.DataSplits;

/** Reads a dataset from disk and splits it into windows by subject. */
public interface DatasetProvider<C> extends Provider<C> {
    /**
     * @param config   the bound {@code data:} section
     * @param dataRoot the data root (default {@code ../shared/data}; {@code --data-root} or
     *                 {@code CROSSL_DATA}); relative paths in the config resolve against it
     * @param seed     the experiment's seed, for any random split the reader makes
     */
    DataSplits load(C config, Path dataRoot, long seed);
}
