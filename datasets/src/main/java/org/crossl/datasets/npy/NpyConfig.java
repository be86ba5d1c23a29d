package org.crossl.datasets.npy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crossl.api.spi.ConfigException;
import org.crossl.datasets.split.SplitConfig;

/**
 * The {@code data:} section of {@code type: npy}: windows already cut, stored as NumPy arrays.
 *
 * <p>Array names ({@code x}, {@code labels}, {@code subjects}, {@code presence}) are keys of the
 * {@code .npz} archive or names of {@code .npy} files in the folder, without {@code .npy}. An
 * optional array ({@code labels}, {@code subjects}, {@code presence}) that is left at its default
 * name may be missing; one named explicitly must exist, so that a typo is an error rather than
 * silently unlabelled data. The record keeps {@code null} for a name left out; {@link #labelsKey()}
 * and friends give the name in use.
 *
 * @param path           an {@code .npz} file or a folder of {@code .npy} files, relative to the
 *                       data root; required
 * @param x              the windows, {@code [windows, time, channels]} or {@code [windows, time]}
 *                       (one channel); default {@code X}
 * @param labels         {@code [windows]} integer class values (negative = unlabelled), or
 *                       {@code [windows, classes]} one-hot rows (all zero = unlabelled); default
 *                       {@code y}, optional
 * @param subjects       {@code [windows]} integer subject ids; default {@code subjects}, optional
 *                       (without it every window is its own subject)
 * @param presence       {@code [windows, modalities]} 0/1, 0 marking a modality absent in a window;
 *                       default {@code presence}, optional
 * @param classNames     one name per class, in class-index order; default: the label values
 * @param modalities     how channels group into modalities; default one modality per channel
 *                       ({@code ch0}, {@code ch1}, …)
 * @param samplingRateHz rate of every modality that does not set its own; default 1.0
 * @param split          the shared subject split ({@link SplitConfig}); default
 *                       {@link SplitConfig#defaults()}; not allowed with {@code files}
 * @param files          the splits come pre-separated, as arrays named by these patterns; default
 *                       none (split by subject)
 */
public record NpyConfig(String path, String x, String labels, String subjects, String presence, List<String> classNames,
                        List<Modality> modalities, Double samplingRateHz, SplitConfig split, SplitFiles files) {

    public static final String DEFAULT_X = "X";
    public static final String DEFAULT_LABELS = "y";
    public static final String DEFAULT_SUBJECTS = "subjects";
    public static final String DEFAULT_PRESENCE = "presence";
    public static final double DEFAULT_SAMPLING_RATE_HZ = 1.0;
    /** The placeholder of {@link SplitFiles} patterns. */
    public static final String NAME = "{name}";

    /**
     * A group of channels read as one modality.
     *
     * @param name           unique modality name (e.g. {@code hand_acc}); required
     * @param channels       0-based channel indices (the last axis of x) in channel order; required,
     *                       non-empty; a channel belongs to at most one modality
     * @param device         device or body position carrying the sensor; default: the name
     * @param samplingRateHz default: the section's {@code samplingRateHz}
     */
    public record Modality(String name, List<Integer> channels, String device, Double samplingRateHz) {
        public Modality {
            channels = channels == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(channels));
        }
    }

    /**
     * Pre-separated splits: each pattern turns an array name into the name of that split's array by
     * replacing {@code {name}}. The reference layout {@code x_train, y_train, x_val, y_val, x_test,
     * y_test} is {@code x: x} with {@code {train: "{name}_train", validation: "{name}_val",
     * test: "{name}_test"}}; sub-folders {@code train/X.npy …} are {@code "train/{name}"}.
     *
     * @param train      pattern of the training split; required
     * @param validation pattern of the validation split; left out = an empty validation split
     * @param test       pattern of the test split; left out = an empty test split
     */
    public record SplitFiles(String train, String validation, String test) {

        /** The patterns by split name (train, validation, test); a split left out maps to null. */
        public Map<String, String> bySplit() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("train", train);
            m.put("validation", validation);
            m.put("test", test);
            return m;
        }

        /** The array name of {@code name} in a split with this pattern. */
        public static String resolve(String pattern, String name) {
            return pattern.replace(NAME, name);
        }
    }

    public NpyConfig {
        if (path == null || path.isBlank()) {
            throw new ConfigException("path", "required: an .npz file or a folder of .npy files, relative to the data root "
                    + "(e.g. pamap2/windows.npz)");
        }
        x = x == null ? DEFAULT_X : x;
        Map<String, String> given = new LinkedHashMap<>();
        given.put("x", x);
        given.put("labels", labels);
        given.put("subjects", subjects);
        given.put("presence", presence);
        Map<String, String> defaults = Map.of("labels", DEFAULT_LABELS, "subjects", DEFAULT_SUBJECTS, "presence", DEFAULT_PRESENCE);
        Map<String, String> used = new HashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String name = e.getValue() == null ? defaults.get(e.getKey()) : e.getValue();
            if (name.isBlank()) {
                throw new ConfigException(e.getKey(), "must name an array (an .npz key or .npy file name without .npy), got ''");
            }
            String other = used.putIfAbsent(name, e.getKey());
            if (other != null) {
                throw new ConfigException(e.getKey(), (e.getValue() == null ? "its default, " : "") + "array '" + name
                        + "', is already used as " + other + "; the arrays must differ");
            }
        }
        if (classNames != null) {
            Set<String> seen = new HashSet<>();
            for (String c : classNames) {
                if (c == null || c.isBlank()) {
                    throw new ConfigException("classNames", "class names must not be empty");
                }
                if (!seen.add(c)) {
                    throw new ConfigException("classNames", "class '" + c + "' is named twice");
                }
            }
            classNames = List.copyOf(classNames);
        }
        samplingRateHz = samplingRateHz == null ? DEFAULT_SAMPLING_RATE_HZ : samplingRateHz;
        if (!(samplingRateHz > 0) || samplingRateHz.isInfinite()) {
            throw new ConfigException("samplingRateHz", "must be a positive number of samples per second, got " + samplingRateHz);
        }
        modalities = modalities == null ? null : filled(modalities, samplingRateHz);
        if (files != null) {
            if (split != null) {
                throw new ConfigException("files", "pre-separated files fix the splits; give either files (splits from the arrays) "
                        + "or split (split by subject), not both");
            }
            if (files.train() == null) {
                throw new ConfigException("files.train", "required: the pattern of the training split's arrays, e.g. '{name}_train'");
            }
            Set<String> patterns = new HashSet<>();
            for (Map.Entry<String, String> e : files.bySplit().entrySet()) {
                String p = e.getValue();
                if (p == null) {
                    continue;
                }
                if (!p.contains(NAME)) {
                    throw new ConfigException("files." + e.getKey(), "must contain " + NAME + " (replaced by the array names x, "
                            + "labels, …), e.g. '{name}_" + e.getKey() + "' or '" + e.getKey() + "/{name}'; got '" + p + "'");
                }
                if (!patterns.add(p)) {
                    throw new ConfigException("files." + e.getKey(), "pattern '" + p + "' is used by two splits");
                }
            }
        } else if (split == null) {
            split = SplitConfig.defaults();
        }
    }

    private static List<Modality> filled(List<Modality> modalities, double samplingRateHz) {
        if (modalities.isEmpty()) {
            throw new ConfigException("modalities", "must list at least one modality, or be left out (one modality per channel)");
        }
        List<Modality> out = new ArrayList<>(modalities.size());
        Set<String> names = new HashSet<>();
        Map<Integer, String> owner = new HashMap<>();
        for (int i = 0; i < modalities.size(); i++) {
            Modality m = modalities.get(i);
            String key = "modalities[" + i + "]";
            if (m == null) {
                throw new ConfigException(key, "must not be empty");
            }
            if (m.name() == null || m.name().isBlank()) {
                throw new ConfigException(key + ".name", "required");
            }
            if (!names.add(m.name())) {
                throw new ConfigException(key + ".name", "modality '" + m.name() + "' is defined twice");
            }
            if (m.channels() == null || m.channels().isEmpty()) {
                throw new ConfigException(key + ".channels", "required: the 0-based channels (last axis of x) of modality '"
                        + m.name() + "'");
            }
            for (Integer c : m.channels()) {
                if (c == null || c < 0) {
                    throw new ConfigException(key + ".channels", "channels are 0-based indices, got " + c);
                }
                // a channel shared by two modalities would let one modality's encoder see another's input
                String prev = owner.putIfAbsent(c, m.name());
                if (prev != null) {
                    throw new ConfigException(key + ".channels", "channel " + c + " is listed " + (prev.equals(m.name())
                            ? "twice" : "in modality '" + prev + "' too; a channel belongs to one modality"));
                }
            }
            double rate = m.samplingRateHz() == null ? samplingRateHz : m.samplingRateHz();
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new ConfigException(key + ".samplingRateHz", "must be a positive number of samples per second, got " + rate);
            }
            String device = m.device() == null || m.device().isBlank() ? m.name() : m.device();
            out.add(new Modality(m.name(), m.channels(), device, rate));
        }
        return List.copyOf(out);
    }

    /** The name of the labels array in use. */
    public String labelsKey() {
        return labels == null ? DEFAULT_LABELS : labels;
    }

    /** The name of the subjects array in use. */
    public String subjectsKey() {
        return subjects == null ? DEFAULT_SUBJECTS : subjects;
    }

    /** The name of the presence array in use. */
    public String presenceKey() {
        return presence == null ? DEFAULT_PRESENCE : presence;
    }

    /** A config with every default, reading {@code path}. */
    public static NpyConfig of(String path) {
        return new NpyConfig(path, null, null, null, null, null, null, null, null, null);
    }
}
