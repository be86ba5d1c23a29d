package org.crossl.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** Versions of this library and of what it runs on, for provenance. */
public final class Versions {
    private Versions() {
    }

    /** The CroSSL library version (from the build). */
    public static String library() {
        return buildProperty("version");
    }

    /** A value recorded by the build in {@code version.properties}, or "unknown". */
    private static String buildProperty(String key) {
        try (InputStream in = Versions.class.getResourceAsStream("/org/crossl/core/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(key, "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Library, Java, OS and ND4J backend details. */
    public static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("crossl", library());
        String commit = System.getProperty("crossl.gitCommit");
        if (commit != null && !commit.isBlank()) {
            env.put("gitCommit", commit);
        }
        env.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        try {
            env.put("nd4jBackend", Nd4j.getBackend().getClass().getSimpleName());
            env.put("nd4jVersion", buildProperty("nd4jVersion") + " (" + buildProperty("nd4jClassifier") + ")");
            Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
            for (String k : new String[]{"blas.vendor", "omp.threads", "cores"}) {
                if (info.containsKey(k)) {
                    env.put("nd4j." + k, String.valueOf(info.get(k)));
                }
            }
            env.put("nd4jDataType", org.crossl.core.model.ModelAssembler.DEFAULT_DATA_TYPE.name()); // the models' type, passed to every provider
            env.put("convolutions", org.crossl.nn.Conv1d.backend());
            // the two kernels round differently: a run resumed under the other one is not byte-identical
            env.put("normActKernel", org.crossl.nn.NormActDropout.VECTOR_API ? "vector API" : "scalar");
        } catch (RuntimeException | LinkageError e) {
            env.put("nd4jBackend", "unavailable: " + e.getMessage());
        }
        return env;
    }
}
