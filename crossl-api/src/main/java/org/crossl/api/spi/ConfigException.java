package org.crossl.api.spi;

/**
 * A config value that cannot be used. {@link #key()} names the offending key relative to the
 * component's section; the core prefixes the section's path ({@code encoders.acc.kernels}) when it
 * reports the error.
 */
public class ConfigException extends IllegalArgumentException {
    private final String key;

    public ConfigException(String key, String message) {
        super(key == null || key.isEmpty() ? message : key + ": " + message);
        this.key = key == null ? "" : key;
    }

    public String key() {
        return key;
    }

    /** The message without the key prefix. */
    public String reason() {
        String m = getMessage();
        return key.isEmpty() ? m : m.substring(key.length() + 2);
    }
}
