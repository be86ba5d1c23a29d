/**
 * Readers for real multimodal recordings: the UEA/sktime {@code .ts} archive format, HuGaDB and generic
 * per-recording CSV folders.
 * Each provider reads its files, windows the recordings and splits them by subject into
 * {@link org.crossl.api.data.DataSplits}.
 */
module org.crossl.datasets {
    requires transitive org.crossl.api;

    exports org.crossl.datasets;
    exports org.crossl.datasets.io;
    exports org.crossl.datasets.uea;
    exports org.crossl.datasets.hugadb;
    exports org.crossl.datasets.recordings;
    exports org.crossl.datasets.split;
    exports org.crossl.datasets.window;

    provides org.crossl.api.spi.DatasetProvider with
            org.crossl.datasets.uea.UeaProvider,
            org.crossl.datasets.hugadb.HugadbProvider,
            org.crossl.datasets.recordings.RecordingsProvider;
}
