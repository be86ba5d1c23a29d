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

    /**
     * The file or folder the data comes from, for the window cache: a cached dataset is reused only
     * while every regular file under this path has the same relative name, size and modification
     * time, and the bound config and seed are the same. {@code null} (the default) turns caching
     * off for this provider.
     */
    default Path source(C config, Path dataRoot) {
        return null;
    }
}
