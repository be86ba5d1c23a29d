package org.crossl.datasets;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the real data is: system property {@code crossl.data} (set by surefire), else env {@code CROSSL_DATA}. */
public final class TestData {
    private TestData() {
    }

    public static Path root() {
        String p = System.getProperty("crossl.data");
        if (p == null || p.isBlank()) {
            p = System.getenv("CROSSL_DATA");
        }
        if (p == null || p.isBlank()) {
            p = "../../shared/data";
        }
        return Path.of(p).toAbsolutePath().normalize();
    }

    /** The data root, skipping the test when {@code sub} is not there. */
    public static Path requireFolder(String sub) {
        Path root = root();
        assumeTrue(Files.isDirectory(root.resolve(sub)), "real data not found at " + root.resolve(sub)
                + " (set -Dcrossl.data or CROSSL_DATA); skipping");
        return root;
    }
}
