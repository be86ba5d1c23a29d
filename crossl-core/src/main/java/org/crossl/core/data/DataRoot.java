package org.crossl.core.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where datasets are read from: {@code --data-root} if given, else the {@code CROSSL_DATA}
 * environment variable, else the {@code crossl.data} system property, else the default: the
 * {@code crossl.defaultDataRoot} property (the launcher sets it to {@code ../shared/data} beside the
 * repository) or {@code ../shared/data} relative to the working directory.
 *
 * @param path   absolute, normalised
 * @param origin how it was chosen, for error messages
 */
public record DataRoot(Path path, String origin) {

    public static DataRoot resolve(String option) {
        if (option != null && !option.isBlank()) {
            return of(option, "--data-root");
        }
        String env = System.getenv("CROSSL_DATA");
        if (env != null && !env.isBlank()) {
            return of(env, "CROSSL_DATA");
        }
        String prop = System.getProperty("crossl.data");
        if (prop != null && !prop.isBlank()) {
            return of(prop, "the crossl.data property");
        }
        String dflt = System.getProperty("crossl.defaultDataRoot");
        if (dflt != null && !dflt.isBlank()) {
            return of(dflt, "the default ../shared/data beside the repository");
        }
        return of("../shared/data", "the default ../shared/data");
    }

    private static DataRoot of(String p, String origin) {
        return new DataRoot(Path.of(p).toAbsolutePath().normalize(), origin);
    }

    /** Fails with an actionable message when the root is missing. */
    public DataRoot requireExists() {
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("data root " + path + " (from " + origin + ") does not exist. "
                    + "Put the datasets there (HuGaDB in hugadb/, UCI HAPT in hapt/, UEA archives in uea/<Name>/), "
                    + "or point to them with --data-root DIR or the CROSSL_DATA environment variable.");
        }
        return this;
    }
}
