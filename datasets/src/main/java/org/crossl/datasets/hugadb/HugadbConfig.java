package org.crossl.datasets.hugadb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.crossl.api.spi.ConfigException;
import org.crossl.datasets.split.SplitConfig;
import org.crossl.datasets.window.LabelPolicy;

/**
 * The {@code data:} section of {@code type: hugadb}. Every key is optional; {@code protocol} picks
 * the defaults of {@code positions}, {@code sensors} and {@code emg} (see protocols.md).
 *
 * @param path                folder of the HuGaDB files, relative to the data root; default {@code hugadb}
 * @param protocol            {@code hugadb-right6} (default: right foot, shin, thigh × acc, gyro:
 *                            6 modalities, 3 devices) or {@code hugadb-full} (all six IMUs × acc,
 *                            gyro, and the EMG pair: 13 modalities, 7 devices)
 * @param positions           IMU positions to read, a subset of rf, rs, rt, lf, ls, lt, in the
 *                            order the modalities should have; default: the protocol's
 * @param sensors             sensors per position, a subset of acc, gyro; default: both
 * @param emg                 add the EMG pair (EMG_r, EMG_l) as one modality {@code emg};
 *                            default: the protocol's
 * @param window              samples per window; default 128
 * @param stride              samples between window starts; default 64
 * @param samplingRateHz      sampling rate recorded in the modality specs; default 58.8
 * @param trainSubjects       participants of the training split; default 1–12
 * @param validationSubjects  participants of the validation split; default 13–14
 * @param testSubjects        participants of the test split; default 15–18 (may be empty)
 * @param corruptedGyroAbsent mark the gyroscopes that the authors' README lists as corrupted
 *                            absent (presence 0, values zeroed) in every window of that recording;
 *                            default false (keep them as recorded)
 * @param labels              how a window gets its label; default {@code uniform} (one activity
 *                            over the whole window, the protocols' rule)
 * @param split               the shared {@code split:} section (k folds, leave one subject out,
 *                            explicit lists), instead of the three subject keys above; giving both
 *                            is an error
 */
public record HugadbConfig(String path, String protocol, List<String> positions, List<String> sensors, Boolean emg,
                           Integer window, Integer stride, Double samplingRateHz, List<Integer> trainSubjects,
                           List<Integer> validationSubjects, List<Integer> testSubjects, Boolean corruptedGyroAbsent,
                           LabelPolicy labels, SplitConfig split) {

    public static final String DEFAULT_PATH = "hugadb";
    public static final String RIGHT6 = "hugadb-right6";
    public static final String FULL = "hugadb-full";
    public static final int DEFAULT_WINDOW = 128;
    public static final int DEFAULT_STRIDE = 64;
    public static final double DEFAULT_SAMPLING_RATE_HZ = 58.8;

    private record Protocol(List<String> positions, List<String> sensors, boolean emg) {
    }

    private static final Map<String, Protocol> PROTOCOLS = new LinkedHashMap<>();

    static {
        PROTOCOLS.put(RIGHT6, new Protocol(List.of("rf", "rs", "rt"), HugadbPositions.SENSORS, false));
        PROTOCOLS.put(FULL, new Protocol(HugadbPositions.POSITIONS, HugadbPositions.SENSORS, true));
    }

    public HugadbConfig {
        path = path == null || path.isBlank() ? DEFAULT_PATH : path;
        protocol = protocol == null || protocol.isBlank() ? RIGHT6 : protocol;
        Protocol p = PROTOCOLS.get(protocol);
        if (p == null) {
            throw new ConfigException("protocol", "unknown protocol '" + protocol + "'; known: " + PROTOCOLS.keySet());
        }
        positions = codes("positions", positions == null ? p.positions() : positions, HugadbPositions.POSITIONS);
        sensors = codes("sensors", sensors == null ? p.sensors() : sensors, HugadbPositions.SENSORS);
        emg = emg == null ? p.emg() : emg;
        if (!emg && (positions.isEmpty() || sensors.isEmpty())) {
            throw new ConfigException(positions.isEmpty() ? "positions" : "sensors", "selects no modality: give at least one "
                    + (positions.isEmpty() ? "position" : "sensor") + " or set emg: true");
        }
        window = window == null ? DEFAULT_WINDOW : window;
        if (window < 1) {
            throw new ConfigException("window", "must be at least 1 sample, got " + window);
        }
        stride = stride == null ? DEFAULT_STRIDE : stride;
        if (stride < 1) {
            throw new ConfigException("stride", "must be at least 1 sample, got " + stride);
        }
        samplingRateHz = samplingRateHz == null ? DEFAULT_SAMPLING_RATE_HZ : samplingRateHz;
        if (!(samplingRateHz > 0) || samplingRateHz.isInfinite()) {
            throw new ConfigException("samplingRateHz", "must be a positive number of samples per second, got " + samplingRateHz);
        }
        if (split != null && (trainSubjects != null || validationSubjects != null || testSubjects != null)) {
            throw new ConfigException(trainSubjects != null ? "trainSubjects" : validationSubjects != null ? "validationSubjects" : "testSubjects",
                    "give either split: or the trainSubjects/validationSubjects/testSubjects keys, not both");
        }
        labels = labels == null ? LabelPolicy.uniform() : labels;
        if (split == null) {
            trainSubjects = subjects("trainSubjects", trainSubjects == null ? range(1, 12) : trainSubjects);
            validationSubjects = subjects("validationSubjects", validationSubjects == null ? range(13, 14) : validationSubjects);
            testSubjects = subjects("testSubjects", testSubjects == null ? range(15, 18) : testSubjects);
            if (trainSubjects.isEmpty()) {
                throw new ConfigException("trainSubjects", "must name at least one participant");
            }
            disjoint("validationSubjects", validationSubjects, "trainSubjects", trainSubjects);
            disjoint("testSubjects", testSubjects, "trainSubjects", trainSubjects);
            disjoint("testSubjects", testSubjects, "validationSubjects", validationSubjects);
        }
        corruptedGyroAbsent = corruptedGyroAbsent != null && corruptedGyroAbsent;
    }

    /** The config with every default ({@code hugadb-right6}). */
    public static HugadbConfig defaults() {
        return new HugadbConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The defaults of {@code protocol}. */
    public static HugadbConfig forProtocol(String protocol) {
        return new HugadbConfig(null, protocol, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Known protocol names. */
    public static Set<String> protocols() {
        return PROTOCOLS.keySet();
    }

    private static List<String> codes(String key, List<String> given, List<String> known) {
        List<String> out = new ArrayList<>(given.size());
        for (String s : given) {
            String c = s == null ? null : s.strip().toLowerCase(java.util.Locale.ROOT);
            if (c == null || !known.contains(c)) {
                throw new ConfigException(key, "unknown value '" + s + "'; known: " + known);
            }
            if (out.contains(c)) {
                throw new ConfigException(key, "'" + c + "' is listed twice");
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    private static List<Integer> subjects(String key, List<Integer> given) {
        Set<Integer> seen = new HashSet<>();
        for (Integer s : given) {
            if (s == null || s < 1) {
                throw new ConfigException(key, "participant ids are positive integers, got " + s);
            }
            if (!seen.add(s)) {
                throw new ConfigException(key, "participant " + s + " is listed twice");
            }
        }
        return List.copyOf(given);
    }

    private static void disjoint(String key, List<Integer> a, String otherKey, List<Integer> b) {
        for (Integer s : a) {
            if (b.contains(s)) {
                throw new ConfigException(key, "participant " + s + " is also in " + otherKey + "; splits must not share participants");
            }
        }
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }
}
