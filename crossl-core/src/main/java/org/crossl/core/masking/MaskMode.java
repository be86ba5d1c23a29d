package org.crossl.core.masking;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.crossl.api.spi.ConfigException;

/** How many units a masker hides. */
public enum MaskMode {
    /** Each unit is hidden independently with probability {@code ratio}. */
    BERNOULLI,
    /** Exactly {@code round(ratio · n)} of the n units are hidden (at most n − 1). */
    EXACT;

    @JsonCreator
    public static MaskMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("mode", "unknown mode '" + s + "'; use bernoulli or exact");
        }
    }

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
