package org.crossl.datasets.npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.spi.ConfigException;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.datasets.Datasets;
import org.crossl.datasets.io.WindowDatasetBuilder;
import org.crossl.datasets.split.SubjectSplit;

/**
 * {@code type: npy}: windows already cut, as NumPy arrays in an {@code .npz} archive or a folder of
 * {@code .npy} files (the reference code's input format).
 *
 * <p>Arrays: {@code x} {@code [windows, time, channels]} (or {@code [windows, time]}, one
 * channel), optional {@code labels} {@code [windows]} class values (negative = unlabelled) or
 * {@code [windows, classes]} one-hot rows, optional {@code subjects} {@code [windows]}, optional
 * {@code presence} {@code [windows, modalities]} of 0/1. Channels are grouped into modalities by
 * index; every modality has the window length T of x.
 *
 * <p>Splits: by subject with the shared {@code split:} section (windows of one subject always land
 * in one split; without a subjects array each window is its own subject), or pre-separated by
 * {@code files:} patterns ({@code x_train}, {@code x_val}, {@code x_test} …).
 *
 * <p>Presence: a modality is absent in a window (presence 0, values zeroed) when the presence array
 * says 0, or when any of its values is NaN or ±Inf after conversion to float32.
 */
public final class NpyProvider implements DatasetProvider<NpyConfig> {

    private static final String HOW_TO_GET = "Save the windows with numpy (np.savez(path, X=windows, y=labels, "
            + "subjects=subject_ids), or np.save of each array into one folder) and point path at the .npz file or the folder.";
    private static final int MAX_LISTED_SUBJECTS = 100;

    @Override
    public String name() {
        return "npy";
    }

    @Override
    public Class<NpyConfig> configType() {
        return NpyConfig.class;
    }

    @Override
    public Path source(NpyConfig config, Path dataRoot) {
        return dataRoot.resolve(config.path());
    }

    @Override
    public String description() {
        return "windows as NumPy arrays (.npz or a folder of .npy): X [windows, time, channels], optional y, subjects, "
                + "presence; split by subject (split:) or pre-separated (files: x_train, x_val, x_test …)";
    }

    /** The arrays of one group of windows: the whole dataset, or one pre-separated split. */
    private record Part(String split, NpyArray x, int n, int t, int c, long[] labels, int oneHotClasses, String labelsWhere,
                        int[] subjects, NpyArray presenceArray, long[] presence) {
    }

    @Override
    public DataSplits load(NpyConfig config, Path dataRoot, long seed) {
        long t0 = System.nanoTime();
        Path path = dataRoot.resolve(config.path());
        if (!Files.exists(path)) {
            throw Datasets.notFound("npy dataset", path, dataRoot, HOW_TO_GET);
        }
        Load load = new Load(config, path, seed);
        load.readArrays();
        load.defineModalities();
        load.resolveClasses();
        WindowDataset[] sets = config.files() == null ? load.splitBySubject() : load.splitByFiles();
        return new DataSplits(sets[0], sets[1], sets[2], load.describe(name(), sets, t0));
    }

    /**
     * One load of the arrays at {@code path}: the steps {@link NpyProvider#load} runs in order, each once. The
     * fields are what the steps hand on; each step fills its own and reads those of the steps
     * before it.
     */
    private static final class Load {
        private final NpyConfig config;
        private final Path path;
        private final long seed;

        // set by readArrays
        private final List<Map<String, Object>> read = new ArrayList<>();
        private final List<Part> parts = new ArrayList<>();
        private String layout;
        private List<String> groupNames;
        private Part first;

        // set by defineModalities
        private List<NpyConfig.Modality> groups;
        private List<ModalitySpec> specs;

        // set by resolveClasses
        private long[] classValues;
        private List<String> classNames;

        // set by splitBySubject or splitByFiles
        private final int[] nonFinite = new int[3];
        private final int[] fromPresence = new int[3];
        private Object subjectsDescription;
        private String subjectSource;
        private int windowsInNoSplit = 0;
        /** null unless the pre-separated splits have subject ids */
        private Object subjectsInSeveralSplits;

        Load(NpyConfig config, Path path, long seed) {
            this.config = config;
            this.path = path;
            this.seed = seed;
        }

        /** x and the optional arrays: of the whole dataset, or of each pre-separated split (null for a split without files). */
        void readArrays() {
            groupNames = config.files() == null ? List.of("all")
                    : new ArrayList<>(config.files().bySplit().keySet());
            try (ArraySource src = ArraySource.open(path)) {
                layout = src.layout();
                if (config.files() == null) {
                    parts.add(readPart(src, config, null, null, read));
                } else {
                    for (Map.Entry<String, String> e : config.files().bySplit().entrySet()) {
                        parts.add(e.getValue() == null ? null : readPart(src, config, e.getKey(), e.getValue(), read));
                    }
                }
            }
            first = parts.get(0);
            checkCompatible(parts, config);
        }

        /** The modalities (configured channel groups, or one per channel), checked against x and the presence arrays. */
        void defineModalities() {
            groups = config.modalities() == null ? perChannel(first.c(), config.samplingRateHz())
                    : config.modalities();
            specs = specs(groups, first);
            for (Part p : parts) {
                if (p != null && p.presenceArray() != null && p.presenceArray().shape(1) != groups.size()) {
                    throw new DataFormatException(p.presenceArray().source() + ": presence must be [windows, modalities] = [" + p.n()
                            + ", " + groups.size() + "] (modalities " + specs.stream().map(ModalitySpec::name).toList()
                            + "), but has shape " + Arrays.toString(p.presenceArray().shape()));
                }
            }
        }

        /** The classes: the distinct non-negative values in increasing order, or the one-hot columns. */
        void resolveClasses() {
            classValues = classValues(parts);
            classNames = classNames(config, classValues, parts);
        }

        /** The windows split by subject with the {@code split:} section (each window its own subject without a subjects array). */
        WindowDataset[] splitBySubject() {
            int[] subjects = first.subjects();
            subjectSource = subjects != null ? "array '" + config.subjectsKey() + "'"
                    : "none: every window is its own subject (its 0-based index in x), so the split is by window";
            if (subjects == null) {
                subjects = new int[first.n()];
                Arrays.setAll(subjects, i -> i);
            }
            TreeSet<Integer> available = new TreeSet<>();
            for (int s : subjects) {
                available.add(s);
            }
            SubjectSplit split = SubjectSplit.resolve(config.split(), available, seed, "split.");
            int[][] windows = windowsOfSplits(split, subjects);
            WindowDataset[] sets = new WindowDataset[3];
            for (int s = 0; s < 3; s++) {
                sets[s] = build(first, windows[s], subjects, groups, specs, classValues, classNames, nonFinite, fromPresence, s);
            }
            subjectsDescription = first.subjects() != null ? split.describe() : windowCounts(split);
            return sets;
        }

        /** Per split, the indices of its windows in x, in order; counts the windows of subjects in no split. */
        private int[][] windowsOfSplits(SubjectSplit split, int[] subjects) {
            int[][] windows = new int[3][];
            int[] counts = new int[3];
            int[] splitOf = new int[first.n()];
            for (int w = 0; w < first.n(); w++) {
                splitOf[w] = split.splitOf(subjects[w]);
                if (splitOf[w] < 0) {
                    windowsInNoSplit++;
                } else {
                    counts[splitOf[w]]++;
                }
            }
            for (int s = 0; s < 3; s++) {
                windows[s] = new int[counts[s]];
                counts[s] = 0;
            }
            for (int w = 0; w < first.n(); w++) {
                if (splitOf[w] >= 0) {
                    windows[splitOf[w]][counts[splitOf[w]]++] = w;
                }
            }
            return windows;
        }

        /** The split's description when every window is its own subject. */
        private static Map<String, Object> windowCounts(SubjectSplit split) {
            // per-window "subjects": thousands of ids say nothing; give the counts
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", split.mode());
            for (int s = 0; s < 3; s++) {
                m.put(SubjectSplit.NAMES.get(s), split.splits().get(s).size() + " windows");
            }
            return m;
        }

        /** The pre-separated splits, each as read (an empty set for a split without files). */
        WindowDataset[] splitByFiles() {
            boolean given = parts.stream().anyMatch(p -> p != null && p.subjects() != null);
            subjectSource = given ? "array '" + config.subjectsKey() + "' of each split"
                    : "none: every window is its own subject (its 0-based index over train, validation, test in that order)";
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", "files");
            Map<Integer, Integer> splitsOfSubject = new TreeMap<>();
            WindowDataset[] sets = new WindowDataset[3];
            int offset = 0;
            for (int s = 0; s < 3; s++) {
                Part p = parts.get(s);
                if (p == null) {
                    sets[s] = emptySet(specs, first.t(), classNames);
                    m.put(SubjectSplit.NAMES.get(s), given ? List.of() : "0 windows");
                    continue;
                }
                int[] subjects = subjectIds(p, offset);
                offset += p.n();
                int[] all = new int[p.n()];
                Arrays.setAll(all, i -> i);
                sets[s] = build(p, all, subjects, groups, specs, classValues, classNames, nonFinite, fromPresence, s);
                TreeSet<Integer> distinct = new TreeSet<>();
                for (int id : subjects) {
                    distinct.add(id);
                }
                for (int id : distinct) {
                    splitsOfSubject.merge(id, 1, Integer::sum);
                }
                m.put(SubjectSplit.NAMES.get(s), given ? List.copyOf(distinct) : p.n() + " windows");
            }
            subjectsDescription = m;
            if (given) {
                // pre-separated files are the user's split: report a subject leak rather than refuse the data
                List<Integer> shared = splitsOfSubject.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
                subjectsInSeveralSplits = shared.size() > MAX_LISTED_SUBJECTS
                        ? shared.size() + " subjects, first " + shared.subList(0, MAX_LISTED_SUBJECTS) : shared;
            }
            return sets;
        }

        /** The part's subject ids; without them each window's index over the parts so far ({@code offset} windows before this one). */
        private static int[] subjectIds(Part p, int offset) {
            int[] subjects = p.subjects();
            if (subjects == null) {
                subjects = new int[p.n()];
                Arrays.setAll(subjects, i -> offset + i);
            }
            return subjects;
        }

        /** The dataset's description; {@code t0} is when the load started. */
        Map<String, Object> describe(String reader, WindowDataset[] sets, long t0) {
            Map<String, Object> d = new LinkedHashMap<>();
            if (subjectsInSeveralSplits != null) {
                // the first key, where the leak has always been reported
                d.put("subjectsInSeveralSplits", subjectsInSeveralSplits);
            }
            d.put("reader", reader);
            d.put("path", Datasets.abs(path).toString());
            d.put("layout", layout);
            d.put("splitBy", config.files() == null ? "subjects" : "files");
            d.put("arrays", read);
            describeShapes(d);
            d.put("windowLength", first.t());
            d.put("channels", first.c());
            Map<String, Object> mods = new LinkedHashMap<>();
            for (NpyConfig.Modality g : groups) {
                mods.put(g.name(), g.channels());
            }
            d.put("modalities", mods);
            List<Integer> unused = unusedChannels(groups, first.c());
            if (!unused.isEmpty()) {
                d.put("unusedChannels", unused);
            }
            d.put("labels", labelsNote(parts, config));
            d.put("classNames", classNames);
            d.put("classValues", Arrays.stream(classValues).boxed().toList());
            d.put("subjectIds", subjectSource);
            d.put("subjects", subjectsDescription);
            if (config.files() == null) {
                d.put("windowsInNoSplit", windowsInNoSplit);
                d.put("seed", seed);
            }
            d.put("windows", Datasets.perSplit(sets[0].size(), sets[1].size(), sets[2].size()));
            d.put("labelledWindows", Datasets.perSplit(WindowDatasetBuilder.labelled(sets[0]), WindowDatasetBuilder.labelled(sets[1]),
                    WindowDatasetBuilder.labelled(sets[2])));
            d.put("absentModalitiesFromNonFinite", Datasets.perSplit(nonFinite[0], nonFinite[1], nonFinite[2]));
            if (parts.stream().anyMatch(p -> p != null && p.presence() != null)) {
                d.put("absentModalitiesFromPresence", Datasets.perSplit(fromPresence[0], fromPresence[1], fromPresence[2]));
            }
            d.put("readMillis", Datasets.millisSince(t0));
            return d;
        }

        /** x's shape and dtype: of the whole dataset, or per pre-separated split. */
        private void describeShapes(Map<String, Object> d) {
            if (config.files() == null) {
                d.put("shape", Arrays.stream(first.x().shape()).boxed().toList());
                d.put("dtype", first.x().descr());
                return;
            }
            Map<String, Object> shapes = new LinkedHashMap<>();
            Map<String, Object> dtypes = new LinkedHashMap<>();
            for (int s = 0; s < 3; s++) {
                Part p = parts.get(s);
                if (p != null) {
                    shapes.put(groupNames.get(s), Arrays.stream(p.x().shape()).boxed().toList());
                    dtypes.put(groupNames.get(s), p.x().descr());
                }
            }
            d.put("shape", shapes);
            d.put("dtype", dtypes);
        }
    }

    /** Reads x and the optional arrays of one group; {@code pattern} is null for the whole dataset. */
    private static Part readPart(ArraySource src, NpyConfig config, String split, String pattern, List<Map<String, Object>> read) {
        String xKey = key(pattern, config.x());
        NpyArray x = src.read(xKey);
        note(read, "x", split, x);
        if (x.rank() != 2 && x.rank() != 3) {
            throw new DataFormatException(x.source() + ": x must be [windows, time, channels] or [windows, time], but has shape "
                    + Arrays.toString(x.shape()) + " (rank " + x.rank() + ")");
        }
        long n = x.shape(0);
        long t = x.shape(1);
        long c = x.rank() == 3 ? x.shape(2) : 1;
        if (n == 0 && (split == null || split.equals("train"))) {
            throw new DataFormatException(x.source() + ": x holds no windows (shape " + Arrays.toString(x.shape()) + ")");
        }
        if (t == 0 || c == 0) {
            throw new DataFormatException(x.source() + ": x has " + (t == 0 ? "windows of length 0" : "no channels") + " (shape "
                    + Arrays.toString(x.shape()) + ")");
        }

        long[] labels = null;
        int oneHot = 0;
        String lKey = key(pattern, config.labelsKey());
        NpyArray l = optional(src, lKey, config.labels() != null);
        if (l != null) {
            note(read, "labels", split, l);
            checkWindows(l, "labels", x, "[windows] class values or [windows, classes] one-hot rows");
            if (l.rank() == 2 && l.shape(1) == 0) {
                throw new DataFormatException(l.source() + ": labels have shape " + Arrays.toString(l.shape())
                        + ": one-hot rows need at least one column");
            }
            if (l.rank() == 2 && l.shape(1) > 1) {
                oneHot = (int) Math.min(l.shape(1), Integer.MAX_VALUE);
                labels = oneHotIndices(l);
            } else {
                labels = l.toLongs();
            }
        }

        int[] subjects = null;
        NpyArray s = optional(src, key(pattern, config.subjectsKey()), config.subjects() != null);
        if (s != null) {
            note(read, "subjects", split, s);
            checkWindows(s, "subjects", x, "[windows] integer subject ids");
            if (s.rank() == 2 && s.shape(1) != 1) {
                throw new DataFormatException(s.source() + ": subjects must be [windows] integer subject ids, but has shape "
                        + Arrays.toString(s.shape()));
            }
            subjects = s.toInts();
        }

        long[] presence = null;
        NpyArray p = optional(src, key(pattern, config.presenceKey()), config.presence() != null);
        if (p != null) {
            note(read, "presence", split, p);
            if (p.rank() != 2 || p.shape(0) != n) {
                throw new DataFormatException(p.source() + ": presence must be [windows, modalities] with " + n
                        + " windows (as x, " + x.source() + ", shape " + Arrays.toString(x.shape()) + "), but has shape "
                        + Arrays.toString(p.shape()));
            }
            presence = p.toLongs();
            for (int k = 0; k < presence.length; k++) {
                if (presence[k] != 0 && presence[k] != 1) {
                    throw new DataFormatException(p.source() + ": element " + p.index(k) + " is " + presence[k]
                            + "; presence holds 0 (absent) or 1 (present)");
                }
            }
        }
        return new Part(split, x, (int) n, (int) t, (int) c, labels, oneHot, l == null ? null : l.source(), subjects, p, presence);
    }

    private static String key(String pattern, String name) {
        return pattern == null ? name : NpyConfig.SplitFiles.resolve(pattern, name);
    }

    /** The array {@code key}, or null when it is missing and was not named explicitly. */
    private static NpyArray optional(ArraySource src, String key, boolean explicit) {
        // read() of a missing array throws, listing the arrays present
        return explicit || src.contains(key) ? src.read(key) : null;
    }

    /** Checks that an array has one entry (row) per window of x. */
    private static void checkWindows(NpyArray a, String role, NpyArray x, String expected) {
        boolean shapeOk = a.rank() == 1 || a.rank() == 2;
        if (!shapeOk || a.shape(0) != x.shape(0)) {
            throw new DataFormatException(a.source() + ": " + role + " must be " + expected + " with one entry per window of x ("
                    + x.shape(0) + " windows, shape " + Arrays.toString(x.shape()) + " in " + x.source() + "), but has shape "
                    + Arrays.toString(a.shape()));
        }
    }

    /** Column of the single 1 in each one-hot row; -1 (unlabelled) for an all-zero row. */
    private static long[] oneHotIndices(NpyArray l) {
        long[] v = l.toLongs();
        int k = (int) l.shape(1);
        int n = (int) l.shape(0);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = WindowBatch.UNLABELLED;
            for (int j = 0; j < k; j++) {
                long e = v[i * k + j];
                if (e == 1 && out[i] == WindowBatch.UNLABELLED) {
                    out[i] = j;
                } else if (e != 0) {
                    throw new DataFormatException(l.source() + ": row " + i + " of the one-hot labels " + Arrays.toString(l.shape())
                            + " is not one-hot (0/1 values, at most one 1): element " + l.index((long) i * k + j) + " is " + e
                            + (e == 1 ? " after another 1" : ""));
                }
            }
        }
        return out;
    }

    private static void note(List<Map<String, Object>> read, String role, String split, NpyArray a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("array", role);
        if (split != null) {
            m.put("split", split);
        }
        m.put("source", a.source());
        m.put("dtype", a.descr());
        m.put("shape", Arrays.stream(a.shape()).boxed().toList());
        if (a.fortranOrder()) {
            m.put("fortranOrder", true);
        }
        read.add(m);
    }

    /** Checks the pre-separated splits against the training split: same window length and channels, same label form. */
    private static void checkCompatible(List<Part> parts, NpyConfig config) {
        Part first = parts.get(0);
        boolean subjects = first.subjects() != null;
        Part labelled = parts.stream().filter(p -> p != null && p.labels() != null).findFirst().orElse(null);
        for (Part p : parts.subList(1, parts.size())) {
            if (p == null) {
                continue;
            }
            if (p.t() != first.t() || p.c() != first.c()) {
                throw new DataFormatException(p.x().source() + ": shape " + Arrays.toString(p.x().shape())
                        + " does not match the training split's x (" + first.x().source() + ", shape "
                        + Arrays.toString(first.x().shape()) + "): every split needs the same window length and channels");
            }
            if (p.labels() != null && p.oneHotClasses() != labelled.oneHotClasses()) {
                throw new DataFormatException(p.labelsWhere() + ": holds " + labelForm(p) + " but " + labelled.labelsWhere() + " holds "
                        + labelForm(labelled) + "; every split needs the same label form");
            }
            if ((p.subjects() != null) != subjects) {
                Part with = subjects ? first : p;
                Part without = subjects ? p : first;
                throw new DataFormatException("subject ids of the " + with.split() + " split come from '"
                        + NpyConfig.SplitFiles.resolve(pattern(config, with.split()), config.subjectsKey())
                        + "' but the " + without.split() + " split has no array '"
                        + NpyConfig.SplitFiles.resolve(pattern(config, without.split()), config.subjectsKey())
                        + "' (beside " + without.x().source() + "); give subjects for every split or for none");
            }
        }
    }

    private static String pattern(NpyConfig config, String split) {
        return config.files().bySplit().get(split);
    }

    private static String labelForm(Part p) {
        return p.oneHotClasses() > 0 ? "one-hot labels with " + p.oneHotClasses() + " classes" : "class values";
    }

    private static long[] classValues(List<Part> parts) {
        for (Part p : parts) {
            if (p != null && p.oneHotClasses() > 0) {
                long[] v = new long[p.oneHotClasses()];
                Arrays.setAll(v, i -> i);
                return v;
            }
        }
        TreeSet<Long> values = new TreeSet<>();
        for (Part p : parts) {
            if (p != null && p.labels() != null) {
                for (long v : p.labels()) {
                    if (v >= 0) {
                        values.add(v);
                    }
                }
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<String> classNames(NpyConfig config, long[] classValues, List<Part> parts) {
        if (config.classNames() == null) {
            return Arrays.stream(classValues).mapToObj(Long::toString).toList();
        }
        if (config.classNames().size() != classValues.length) {
            boolean oneHot = parts.stream().anyMatch(p -> p != null && p.oneHotClasses() > 0);
            boolean labelled = parts.stream().anyMatch(p -> p != null && p.labels() != null);
            throw new ConfigException("classNames", config.classNames().size() + " names given, but "
                    + (!labelled ? "the data has no labels (no array '" + config.labelsKey() + "')"
                    : oneHot ? "the one-hot labels have " + classValues.length + " columns"
                    : "the labels have " + classValues.length + " distinct non-negative values " + shortList(classValues))
                    + "; give one name per class, in increasing order of the values");
        }
        return config.classNames();
    }

    private static String shortList(long[] v) {
        if (v.length <= 30) {
            return Arrays.toString(v);
        }
        return Arrays.toString(Arrays.copyOf(v, 30)).replace("]", ", …]");
    }

    private static String labelsNote(List<Part> parts, NpyConfig config) {
        Part labelled = parts.stream().filter(p -> p != null && p.labels() != null).findFirst().orElse(null);
        if (labelled == null) {
            return "none: no array '" + config.labelsKey() + "', every window is unlabelled";
        }
        return labelled.oneHotClasses() > 0 ? "one-hot rows of array '" + config.labelsKey() + "' (all-zero row = unlabelled)"
                : "class values of array '" + config.labelsKey() + "' (negative = unlabelled)";
    }

    private static List<NpyConfig.Modality> perChannel(int channels, double rate) {
        List<NpyConfig.Modality> out = new ArrayList<>(channels);
        for (int k = 0; k < channels; k++) {
            out.add(new NpyConfig.Modality("ch" + k, List.of(k), "ch" + k, rate));
        }
        return out;
    }

    private static List<ModalitySpec> specs(List<NpyConfig.Modality> groups, Part first) {
        List<ModalitySpec> specs = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            NpyConfig.Modality g = groups.get(i);
            for (int ch : g.channels()) {
                if (ch >= first.c()) {
                    throw new ConfigException("modalities[" + i + "].channels", "channel " + ch + " does not exist: x has " + first.c()
                            + " channel" + (first.c() == 1 ? "" : "s") + " (0.." + (first.c() - 1) + "; shape "
                            + Arrays.toString(first.x().shape()) + " in " + first.x().source() + ")");
                }
            }
            specs.add(new ModalitySpec(g.name(), g.channels().stream().map(c -> "ch" + c).toList(), g.samplingRateHz(), g.device()));
        }
        return specs;
    }

    private static List<Integer> unusedChannels(List<NpyConfig.Modality> groups, int channels) {
        boolean[] used = new boolean[channels];
        for (NpyConfig.Modality g : groups) {
            for (int c : g.channels()) {
                used[c] = true;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            if (!used[c]) {
                out.add(c);
            }
        }
        return out;
    }

    private static WindowDataset emptySet(List<ModalitySpec> specs, int t, List<String> classNames) {
        int[] lengths = new int[specs.size()];
        Arrays.fill(lengths, t);
        return new WindowDatasetBuilder(specs, lengths, 0).build(classNames);
    }

    /**
     * The windows {@code windows} of a part, in that order: one window of x is read into a scratch
     * row (C order, converted to float32) and scattered into the modalities' arrays, so x is never
     * held twice on the heap.
     */
    private static WindowDataset build(Part part, int[] windows, int[] subjects, List<NpyConfig.Modality> groups,
                                       List<ModalitySpec> specs, long[] classValues, List<String> classNames, int[] nonFinite,
                                       int[] fromPresence, int split) {
        int t = part.t();
        int c = part.c();
        int mCount = groups.size();
        int[] lengths = new int[mCount];
        Arrays.fill(lengths, t);
        int[][] channels = new int[mCount][];
        for (int m = 0; m < mCount; m++) {
            channels[m] = groups.get(m).channels().stream().mapToInt(Integer::intValue).toArray();
        }
        WindowDatasetBuilder b = new WindowDatasetBuilder(specs, lengths, windows.length);
        float[] row = new float[t * c];
        float[][] scratch = new float[mCount][];
        for (int m = 0; m < mCount; m++) {
            scratch[m] = new float[t * channels[m].length];
        }
        for (int i = 0; i < windows.length; i++) {
            int w = windows[i];
            part.x().readFloats((long) w * t * c, row, 0, row.length);
            for (int m = 0; m < mCount; m++) {
                if (part.presence() != null && part.presence()[w * mCount + m] == 0) {
                    b.setAbsent(i, m);
                    fromPresence[split]++;
                    continue;
                }
                int[] chs = channels[m];
                int nc = chs.length;
                float[] out = scratch[m];
                boolean finite = true;
                for (int s = 0; s < t; s++) {
                    int src = s * c;
                    int dst = s * nc;
                    for (int k = 0; k < nc; k++) {
                        float v = row[src + chs[k]];
                        finite &= Float.isFinite(v);
                        out[dst + k] = v;
                    }
                }
                if (finite) {
                    b.copyWindow(i, m, out, 0);
                } else {
                    b.setAbsent(i, m);
                    nonFinite[split]++;
                }
            }
            if (part.labels() != null) {
                long v = part.labels()[w];
                b.setLabel(i, v < 0 ? WindowBatch.UNLABELLED : Arrays.binarySearch(classValues, v));
            }
            b.setSubject(i, subjects[w]);
        }
        return b.build(classNames);
    }
}
