package org.crossl.cli;

import java.util.Map;
import org.crossl.core.config.ConfigError;

/** What {@code --master} gives an engine: the option {@code master}, which only {@code --engine spark} takes. */
final class EngineOptions {
    private EngineOptions() {
    }

    /** The engine options of a command line; {@code --master} without {@code --engine spark} is a usage error. */
    static Map<String, String> of(String engine, String master) {
        if (master == null) {
            return Map.of();
        }
        if (!"spark".equals(engine)) {
            throw new ConfigError("--master is an option of --engine spark; add --engine spark");
        }
        return Map.of("master", master);
    }
}
