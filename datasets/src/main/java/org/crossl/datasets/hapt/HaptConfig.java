package org.crossl.datasets.hapt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.crossl.api.spi.ConfigException;
import org.crossl.datasets.split.SplitConfig;
import org.crossl.datasets.window.LabelPolicy;

/**
 * The {@code data:} section of {@code type: hapt} (UCI HAPT raw signals). Every key is optional;
 * the defaults are the {@code hapt} protocol of protocols.md.
 *
 * @param path           folder holding {@code labels.txt} and {@code raw/}, relative to the data root; default {@code hapt}
 * @param sensors        subset of {@code acc}, {@code gyro}, in modality order; default both
 * @param classes        {@code basic} (default: the six activities 1–6; transition samples count
 *                       as unlabelled) or {@code all} (the twelve ids, transitions included)
 * @param window         samples per window; default 128 (2.56 s)
 * @param stride         samples between window starts; default 64
 * @param samplingRateHz default 50
 * @param labels         how a window gets its label; default {@code uniform} (one class over the whole window)
 * @param split          subjects per split; default: test = the official test users 2, 4, 9, 10,
 *                       12, 13, 18, 20, 24, validation = 26–30, train = the other 16
 */
public record HaptConfig(String path, List<String> sensors, String classes, Integer window, Integer stride,
                         Double samplingRateHz, LabelPolicy labels, SplitConfig split) {

    public static final String DEFAULT_PATH = "hapt";
    public static final List<String> SENSORS = List.of("acc", "gyro");
    public static final List<Integer> OFFICIAL_TEST_USERS = List.of(2, 4, 9, 10, 12, 13, 18, 20, 24);
    public static final List<Integer> VALIDATION_USERS = List.of(26, 27, 28, 29, 30);

    public HaptConfig {
        path = path == null || path.isBlank() ? DEFAULT_PATH : path;
        if (sensors == null) {
            sensors = SENSORS;
        }
        List<String> s = new ArrayList<>();
        for (String x : sensors) {
            String c = x == null ? "" : x.strip().toLowerCase(Locale.ROOT);
            if (!SENSORS.contains(c)) {
                throw new ConfigException("sensors", "unknown sensor '" + x + "'; known: " + SENSORS);
            }
            if (s.contains(c)) {
                throw new ConfigException("sensors", "'" + c + "' is listed twice");
            }
            s.add(c);
        }
        if (s.isEmpty()) {
            throw new ConfigException("sensors", "must name at least one of " + SENSORS);
        }
        sensors = List.copyOf(s);
        classes = classes == null || classes.isBlank() ? "basic" : classes.strip().toLowerCase(Locale.ROOT);
        if (!classes.equals("basic") && !classes.equals("all")) {
            throw new ConfigException("classes", "must be 'basic' (activities 1-6) or 'all' (1-12, transitions included), got '" + classes + "'");
        }
        window = window == null ? 128 : window;
        if (window < 1) {
            throw new ConfigException("window", "must be at least 1 sample, got " + window);
        }
        stride = stride == null ? 64 : stride;
        if (stride < 1) {
            throw new ConfigException("stride", "must be at least 1 sample, got " + stride);
        }
        samplingRateHz = samplingRateHz == null ? 50.0 : samplingRateHz;
        if (!(samplingRateHz > 0) || samplingRateHz.isInfinite()) {
            throw new ConfigException("samplingRateHz", "must be a positive number of samples per second, got " + samplingRateHz);
        }
        labels = labels == null ? LabelPolicy.uniform() : labels;
        split = split == null ? SplitConfig.explicit(null, VALIDATION_USERS, OFFICIAL_TEST_USERS) : split;
    }

    /** The {@code hapt} protocol. */
    public static HaptConfig defaults() {
        return new HaptConfig(null, null, null, null, null, null, null, null);
    }
}
