/**
 * Readers for real multimodal recordings: the UEA/sktime {@code .ts} archive format, HuGaDB,
 * UCI HAPT raw signals, windows saved as NumPy arrays ({@code .npy}/{@code .npz}) and generic
 * per-recording CSV folders. Each provider reads its files, windows the recordings and splits them
 * by subject into {@link org.crossl.api.data.DataSplits}; {@code split} and {@code window} hold the
 * subject splits and label policies they share.
 */
module org.crossl.datasets {
    requires transitive org.crossl.api;

    exports org.crossl.datasets;
    exports org.crossl.datasets.io;
    exports org.crossl.datasets.uea;
    exports org.crossl.datasets.hugadb;
    exports org.crossl.datasets.hapt;
    exports org.crossl.datasets.npy;
    exports org.crossl.datasets.recordings;
    exports org.crossl.datasets.split;
    exports org.crossl.datasets.window;

    provides org.crossl.api.spi.DatasetProvider with
            org.crossl.datasets.uea.UeaProvider,
            org.crossl.datasets.hugadb.HugadbProvider,
            org.crossl.datasets.hapt.HaptProvider,
            org.crossl.datasets.npy.NpyProvider,
            org.crossl.datasets.recordings.RecordingsProvider;
}
