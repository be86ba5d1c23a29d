package org.crossl.datasets.recordings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crossl.api.spi.ConfigException;
import org.crossl.datasets.split.SplitConfig;
import org.crossl.datasets.window.LabelPolicy;

/**
 * The {@code data:} section of {@code type: recordings}: one folder per recording under
 * {@code path}, one CSV per modality in each folder.
 *
 * @param path           folder holding the recording folders, relative to the data root; required
 * @param layout         where subject and session sit in a recording folder's path below
 *                       {@code path}, e.g. {@code subject{subject}/session{session}}; placeholders
 *                       {@code {subject}} (required, an integer), {@code {session}} and {@code {*}}
 *                       (anything) each match part of one path segment; default
 *                       {@code {subject}/{session}} when {@code recordings} is not given
 * @param recordings     instead of {@code layout}: the recording folders, each with its subject
 *                       and session
 * @param modalities     the modalities, one CSV file each (several may share a file); required
 * @param labels         where the labels come from, the classes and the window-labelling policy;
 *                       default: none (every window unlabelled)
 * @param windowSeconds  window duration in seconds; required
 * @param strideSeconds  seconds between window starts; default {@code windowSeconds / 2}
 * @param maxGapFactor   with timestamps: a step longer than this many median sample periods is a
 *                       gap that breaks the recording (windows never span it); default 3, &gt; 1
 * @param nonFinite      a NaN, infinite or empty value in a channel: {@code absent} (default: the
 *                       modality is absent in every window holding that sample) or {@code fail}
 * @param delimiter      field separator of every CSV: one character, or {@code tab}; default {@code ,}
 * @param split          the shared {@code split:} section ({@link SplitConfig}); default: every
 *                       subject trains but a drawn validation share, no test
 */
public record RecordingsConfig(String path, String layout, List<Recording> recordings, List<Modality> modalities, Labels labels,
                               Double windowSeconds, Double strideSeconds, Double maxGapFactor, String nonFinite, String delimiter,
                               SplitConfig split) {

    public static final String DEFAULT_LAYOUT = "{subject}/{session}";
    public static final double DEFAULT_MAX_GAP_FACTOR = 3.0;
    public static final List<String> NON_FINITE_POLICIES = List.of("absent", "fail");
    public static final List<String> UNKNOWN_LABEL_POLICIES = List.of("fail", "unlabelled");

    /** Seconds per unit of the timestamp units {@code s}, {@code ms}, {@code us}, {@code ns}. */
    public static final Map<String, Double> TIME_UNITS;

    static {
        Map<String, Double> u = new LinkedHashMap<>();
        u.put("s", 1.0);
        u.put("ms", 1e-3);
        u.put("us", 1e-6);
        u.put("ns", 1e-9);
        TIME_UNITS = java.util.Collections.unmodifiableMap(u);
    }

    /**
     * One recording folder, listed explicitly.
     *
     * @param path    the folder, relative to the section's {@code path}; required
     * @param subject the subject's integer id; required
     * @param session any name, unique per subject; default: the folder path
     */
    public record Recording(String path, Integer subject, String session) {
    }

    /**
     * One modality: some columns of one CSV file per recording.
     *
     * @param name            unique modality name; required
     * @param file            the CSV (or {@code .csv.gz}) in each recording folder; default {@code <name>.csv}
     * @param channels        column names in channel order; default: every named column of the
     *                        first recording's file except the timestamp and label columns
     *                        (required when several modalities share a file)
     * @param device          device or body position carrying the sensor; default: the name
     * @param samplingRateHz  the declared rate: sample i is at i / rate seconds from the recording's
     *                        start. Give this or {@code timestampColumn}
     * @param timestampColumn column of sample times: the rate is estimated from the median sample
     *                        period; times must increase
     * @param timestampUnit   {@code s} (default), {@code ms}, {@code us} or {@code ns}
     */
    public record Modality(String name, String file, List<String> channels, String device, Double samplingRateHz,
                           String timestampColumn, String timestampUnit) {
        public Modality {
            channels = channels == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(channels));
        }

        /** True when times come from a column (rate estimated), false for a declared rate. */
        public boolean timestamped() {
            return timestampColumn != null;
        }
    }

    /**
     * The {@code labels:} section: either a segment file per recording or a per-sample column.
     *
     * @param file          a CSV in each recording folder with the header {@code start,end,label}
     *                      (times in {@code timeUnit}: from the recording's start, or on the
     *                      timestamp columns' clock when modalities have timestamps)
     * @param column        instead of {@code file}: a per-sample label column of {@code modality}'s CSV
     * @param modality      the modality whose CSV holds {@code column}
     * @param classes       class names in index order; default: the distinct labels seen, sorted
     *                      (numerically when every label is an integer)
     * @param unknownLabels with {@code classes}: a label not in it is an error ({@code fail},
     *                      default) or makes its samples unlabelled ({@code unlabelled})
     * @param policy        the shared window-labelling rule ({@link LabelPolicy}): {@code uniform}
     *                      (default), {@code majority} or {@code center}
     * @param minFraction   for {@code majority}; default 0.5
     * @param timeUnit      unit of the label file's times; default: the modalities' timestamp
     *                      unit when they have timestamps, else {@code s}
     */
    public record Labels(String file, String column, String modality, List<String> classes, String unknownLabels, String policy,
                         Double minFraction, String timeUnit) {
        public Labels {
            classes = classes == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(classes));
        }

        /** The window-labelling rule of {@code policy} and {@code minFraction}. */
        public LabelPolicy labelPolicy() {
            return new LabelPolicy(policy, minFraction);
        }
    }

    public RecordingsConfig {
        if (path == null || path.isBlank()) {
            throw new ConfigException("path", "required: the folder holding one folder per recording, relative to the data root");
        }
        if (recordings != null && layout != null) {
            throw new ConfigException("recordings", "give either layout (subject and session from the folder path) or "
                    + "recordings (an explicit list), not both");
        }
        if (recordings == null) {
            layout = layout == null || layout.isBlank() ? DEFAULT_LAYOUT : layout.strip();
            RecordingLayout.parse(layout); // validates
        } else {
            recordings = checkRecordings(recordings);
        }
        delimiter = delimiter == null || delimiter.isEmpty() ? "," : delimiter;
        delimiterByte(delimiter); // validates
        modalities = checkModalities(modalities);
        labels = checkLabels(labels, modalities);
        if (windowSeconds == null) {
            throw new ConfigException("windowSeconds", "required: the duration of a window in seconds (e.g. 2.56)");
        }
        if (!(windowSeconds > 0) || windowSeconds.isInfinite()) {
            throw new ConfigException("windowSeconds", "must be a positive number of seconds, got " + windowSeconds);
        }
        strideSeconds = strideSeconds == null ? windowSeconds / 2 : strideSeconds;
        if (!(strideSeconds > 0) || strideSeconds.isInfinite()) {
            throw new ConfigException("strideSeconds", "must be a positive number of seconds, got " + strideSeconds);
        }
        maxGapFactor = maxGapFactor == null ? DEFAULT_MAX_GAP_FACTOR : maxGapFactor;
        if (!(maxGapFactor > 1) || maxGapFactor.isInfinite()) {
            throw new ConfigException("maxGapFactor", "must be a number greater than 1 (a step of this many median sample periods "
                    + "breaks a recording), got " + maxGapFactor);
        }
        nonFinite = choice("nonFinite", nonFinite, NON_FINITE_POLICIES);
        split = split == null ? SplitConfig.defaults() : split;
    }

    /** A config reading {@code modalities} from the recording folders under {@code path} with every other default. */
    public static RecordingsConfig of(String path, List<Modality> modalities, Labels labels, double windowSeconds) {
        return new RecordingsConfig(path, null, null, modalities, labels, windowSeconds, null, null, null, null, null);
    }

    /** A modality with a declared rate, its file {@code <name>.csv}, every column a channel. */
    public static Modality declared(String name, double samplingRateHz) {
        return new Modality(name, null, null, null, samplingRateHz, null, null);
    }

    /** A modality whose rate comes from the timestamps in {@code column}, in {@code unit}. */
    public static Modality timestamped(String name, String column, String unit) {
        return new Modality(name, null, null, null, null, column, unit);
    }

    /** Labels from a segment file {@code start,end,label} in each recording folder, with the default policy. */
    public static Labels labelFile(String file) {
        return new Labels(file, null, null, null, null, null, null, null);
    }

    /** Labels from a per-sample column of one modality's CSV, with the default policy. */
    public static Labels labelColumn(String column, String modality) {
        return new Labels(null, column, modality, null, null, null, null, null);
    }

    /** The field separator as a byte. */
    public byte delimiterByte() {
        return delimiterByte(delimiter);
    }

    /** Seconds per unit of {@code unit} (one of {@link #TIME_UNITS}). */
    public static double secondsPer(String unit) {
        return TIME_UNITS.get(unit);
    }

    private static byte delimiterByte(String d) {
        String s = d.equals("tab") || d.equals("\\t") ? "\t" : d;
        if (s.length() != 1 || s.charAt(0) > 127) {
            throw new ConfigException("delimiter", "must be one ASCII character (or tab), got '" + d + "'");
        }
        char c = s.charAt(0);
        if (c == '"' || c == '\n' || c == '\r' || c == '.' || c == '-' || c == '+' || Character.isLetterOrDigit(c)) {
            throw new ConfigException("delimiter", "cannot be '" + d + "': it occurs inside numbers, quotes or line ends");
        }
        return (byte) c;
    }

    private static String choice(String key, String value, List<String> allowed) {
        if (value == null || value.isBlank()) {
            return allowed.get(0);
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new ConfigException(key, "unknown value '" + value + "'; known: " + allowed);
        }
        return v;
    }

    private static List<Recording> checkRecordings(List<Recording> recordings) {
        if (recordings.isEmpty()) {
            throw new ConfigException("recordings", "must list at least one recording, or be left out (layout finds them)");
        }
        List<Recording> out = new ArrayList<>(recordings.size());
        Set<String> paths = new HashSet<>();
        Set<String> sessions = new HashSet<>();
        for (int i = 0; i < recordings.size(); i++) {
            Recording r = recordings.get(i);
            String key = "recordings[" + i + "]";
            if (r == null) {
                throw new ConfigException(key, "must not be empty");
            }
            if (r.path() == null || r.path().isBlank()) {
                throw new ConfigException(key + ".path", "required: the recording's folder, relative to path");
            }
            if (r.subject() == null) {
                throw new ConfigException(key + ".subject", "required: the subject's integer id");
            }
            String p = r.path().strip().replace('\\', '/');
            while (p.endsWith("/") && p.length() > 1) {
                p = p.substring(0, p.length() - 1);
            }
            if (!paths.add(p)) {
                throw new ConfigException(key + ".path", "folder '" + p + "' is listed twice");
            }
            String session = r.session() == null || r.session().isBlank() ? p : r.session();
            if (!sessions.add(r.subject() + "\u0000" + session)) {
                throw new ConfigException(key + ".session", "subject " + r.subject() + " has two recordings named '" + session + "'");
            }
            out.add(new Recording(p, r.subject(), session));
        }
        return List.copyOf(out);
    }

    private static List<Modality> checkModalities(List<Modality> modalities) {
        if (modalities == null || modalities.isEmpty()) {
            throw new ConfigException("modalities", "required: at least one {name, file, channels, samplingRateHz or timestampColumn}");
        }
        List<Modality> out = new ArrayList<>(modalities.size());
        Set<String> names = new HashSet<>();
        Map<String, Integer> firstOfFile = new HashMap<>();
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
            String file = m.file() == null || m.file().isBlank() ? m.name() + ".csv" : m.file().strip();
            if (file.endsWith(".gz")) {
                throw new ConfigException(key + ".file", "name the plain file ('" + file.substring(0, file.length() - 3)
                        + "'); its .gz form is found by itself");
            }
            if (m.channels() != null) {
                if (m.channels().isEmpty()) {
                    throw new ConfigException(key + ".channels", "must list at least one column, or be left out (every column)");
                }
                Set<String> seen = new HashSet<>();
                for (String c : m.channels()) {
                    if (c == null || c.isBlank()) {
                        throw new ConfigException(key + ".channels", "column names must not be empty");
                    }
                    if (!seen.add(c)) {
                        throw new ConfigException(key + ".channels", "column '" + c + "' is listed twice");
                    }
                }
            }
            boolean ts = m.timestampColumn() != null && !m.timestampColumn().isBlank();
            if (ts && m.samplingRateHz() != null) {
                throw new ConfigException(key + ".timestampColumn", "give either samplingRateHz (a declared rate) or timestampColumn "
                        + "(the rate is estimated from the timestamps), not both");
            }
            if (!ts && m.samplingRateHz() == null) {
                throw new ConfigException(key, "modality '" + m.name() + "' needs samplingRateHz (a declared rate) or timestampColumn "
                        + "(sample times)");
            }
            if (m.samplingRateHz() != null && (!(m.samplingRateHz() > 0) || m.samplingRateHz().isInfinite())) {
                throw new ConfigException(key + ".samplingRateHz", "must be a positive number of samples per second, got " + m.samplingRateHz());
            }
            String unit = null;
            if (ts) {
                unit = m.timestampUnit() == null || m.timestampUnit().isBlank() ? "s" : m.timestampUnit().strip();
                if (!TIME_UNITS.containsKey(unit)) {
                    throw new ConfigException(key + ".timestampUnit", "unknown unit '" + m.timestampUnit() + "'; known: " + TIME_UNITS.keySet());
                }
                if (m.channels() != null && m.channels().contains(m.timestampColumn())) {
                    throw new ConfigException(key + ".channels", "'" + m.timestampColumn() + "' is the timestamp column");
                }
            } else if (m.timestampUnit() != null) {
                throw new ConfigException(key + ".timestampUnit", "only applies with timestampColumn");
            }
            String device = m.device() == null || m.device().isBlank() ? m.name() : m.device();
            Modality filled = new Modality(m.name(), file, m.channels(), device, m.samplingRateHz(), ts ? m.timestampColumn() : null, unit);
            Integer first = firstOfFile.putIfAbsent(file, i);
            if (first != null) {
                Modality f = out.get(first);
                if (filled.channels() == null || f.channels() == null) {
                    throw new ConfigException(key + ".channels", "modalities '" + f.name() + "' and '" + m.name() + "' share the file '"
                            + file + "': both must list their channels");
                }
                if (!Objects.equals(f.samplingRateHz(), filled.samplingRateHz()) || !Objects.equals(f.timestampColumn(), filled.timestampColumn())
                        || !Objects.equals(f.timestampUnit(), filled.timestampUnit())) {
                    throw new ConfigException(key, "modalities '" + f.name() + "' and '" + m.name() + "' share the file '" + file
                            + "' and must have the same samplingRateHz / timestampColumn / timestampUnit");
                }
            }
            out.add(filled);
        }
        return List.copyOf(out);
    }

    private static Labels checkLabels(Labels l, List<Modality> modalities) {
        if (l == null) {
            return null;
        }
        boolean file = l.file() != null && !l.file().isBlank();
        boolean column = l.column() != null && !l.column().isBlank();
        if (file == column) {
            throw new ConfigException("labels", file ? "give either file (a segment file) or column (a per-sample column), not both"
                    : "give file (a start,end,label segment file in each recording folder) or column + modality (a per-sample column)");
        }
        if (file && l.modality() != null) {
            throw new ConfigException("labels.modality", "only applies with labels.column");
        }
        if (file && l.file().strip().endsWith(".gz")) {
            throw new ConfigException("labels.file", "name the plain file; its .gz form is found by itself");
        }
        if (column) {
            if (l.modality() == null || l.modality().isBlank()) {
                throw new ConfigException("labels.modality", "required with labels.column: the modality whose CSV holds the column");
            }
            Modality owner = modalities.stream().filter(m -> m.name().equals(l.modality())).findFirst().orElseThrow(() ->
                    new ConfigException("labels.modality", "no modality '" + l.modality() + "'; modalities: "
                            + modalities.stream().map(Modality::name).toList()));
            for (Modality m : modalities) {
                if (m.file().equals(owner.file())) {
                    if (m.channels() != null && m.channels().contains(l.column())) {
                        throw new ConfigException("labels.column", "'" + l.column() + "' is a channel of modality '" + m.name() + "'");
                    }
                    if (l.column().equals(m.timestampColumn())) {
                        throw new ConfigException("labels.column", "'" + l.column() + "' is the timestamp column of modality '" + m.name() + "'");
                    }
                }
            }
            if (l.timeUnit() != null) {
                throw new ConfigException("labels.timeUnit", "only applies with labels.file");
            }
        }
        List<String> classes = null;
        if (l.classes() != null) {
            if (l.classes().isEmpty()) {
                throw new ConfigException("labels.classes", "must list at least one class, or be left out (the labels seen)");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String c : l.classes()) {
                if (c == null || c.isBlank()) {
                    throw new ConfigException("labels.classes", "class names must not be empty (an empty label means unlabelled)");
                }
                if (!seen.add(c.strip())) {
                    throw new ConfigException("labels.classes", "class '" + c + "' is listed twice");
                }
            }
            classes = List.copyOf(seen);
        }
        if (classes == null && l.unknownLabels() != null) {
            throw new ConfigException("labels.unknownLabels", "only applies with labels.classes");
        }
        String unknown = choice("labels.unknownLabels", l.unknownLabels(), UNKNOWN_LABEL_POLICIES);
        LabelPolicy policy;
        try {
            policy = new LabelPolicy(l.policy(), l.minFraction());
        } catch (ConfigException e) {
            throw new ConfigException("labels." + e.key(), e.reason());
        }
        String timeUnit = null;
        if (file) {
            if (l.timeUnit() != null && !l.timeUnit().isBlank()) {
                timeUnit = l.timeUnit().strip();
                if (!TIME_UNITS.containsKey(timeUnit)) {
                    throw new ConfigException("labels.timeUnit", "unknown unit '" + l.timeUnit() + "'; known: " + TIME_UNITS.keySet());
                }
            } else {
                Set<String> units = new LinkedHashSet<>();
                modalities.stream().filter(Modality::timestamped).forEach(m -> units.add(m.timestampUnit()));
                if (units.size() > 1) {
                    throw new ConfigException("labels.timeUnit", "required: the modalities' timestamps use different units " + units
                            + ", so say which one the label file's times are in");
                }
                timeUnit = units.isEmpty() ? "s" : units.iterator().next();
            }
        }
        return new Labels(file ? l.file().strip() : null, column ? l.column() : null, column ? l.modality() : null, classes,
                classes == null ? null : unknown, policy.policy(), policy.minFraction(), timeUnit);
    }

    /** True when any modality takes its times from a timestamp column. */
    public boolean anyTimestamped() {
        return modalities.stream().anyMatch(Modality::timestamped);
    }
}
