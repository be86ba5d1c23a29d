package org.crossl.datasets;

import java.nio.file.Path;
import org.crossl.api.data.DataFormatException;

/** Helpers shared by the dataset providers of this module. */
public final class Datasets {

    /** How a user points the library at its data; appended to every "not found" message. */
    public static final String DATA_ROOT_HINT =
            "The data root is ../shared/data by default, or set --data-root / CROSSL_DATA.";

    private Datasets() {
    }

    /**
     * An error for data that is not where the config says, that tells the user which key pointed
     * there, what was looked for, where, and how to get it.
     *
     * @param what      the dataset, e.g. {@code HuGaDB}
     * @param expected  the file or folder that was looked for
     * @param dataRoot  the data root the config's path was resolved against
     * @param howToGet  one or two sentences on where to download the data and where to put it
     */
    public static DataFormatException notFound(String what, Path expected, Path dataRoot, String howToGet) {
        // the config key first: every caller resolves `expected` from data.path (and, for UEA, data.problem)
        return new DataFormatException("data.path: " + what + " not found at " + abs(expected) + " (data root: " + abs(dataRoot) + "). "
                + DATA_ROOT_HINT + " " + howToGet);
    }

    /** A {@code train / validation / test} map for a dataset's description, in that order. */
    public static java.util.Map<String, Object> perSplit(Object train, Object validation, Object test) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("train", train);
        m.put("validation", validation);
        m.put("test", test);
        return m;
    }

    /** The absolute, normalised form of a path, for messages and provenance. */
    public static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /** Milliseconds since {@code startNanos} (from {@link System#nanoTime()}). */
    public static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }
}
