package org.crossl.core.config;

/**
 * A config that cannot be used. The message starts with where the problem is: the file (and line,
 * when known) and the dotted key path, e.g. {@code presets/x.yaml: encoders.acc.kernels: ...}.
 */
public class ConfigError extends RuntimeException {
    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
