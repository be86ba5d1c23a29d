package org.crossl.datasets.hugadb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.spi.ConfigException;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.datasets.Datasets;
import org.crossl.datasets.io.Parallel;
import org.crossl.datasets.io.SlidingWindows;
import org.crossl.datasets.io.TextFiles;
import org.crossl.datasets.io.WindowDatasetBuilder;
import org.crossl.datasets.split.SubjectSplit;

/**
 * {@code type: hugadb}: HuGaDB v1 (Chereshnev &amp; Kertész-Farkas, AIST 2017), six leg IMUs and an
 * EMG pair, about 58.8 Hz.
 *
 * <p>Reads {@code HuGaDB_v1_<activity>_<participant>_<counter>.txt[.gz]}; the participant in the
 * name is the subject. Each recording is windowed alone ({@code window}, {@code stride}; windows
 * never cross files, a tail shorter than a window is dropped). A window is labelled with its
 * activity when every sample in it has the same activity id, else it is unlabelled and kept (for
 * pretraining). Classes are the activity ids present in the loaded recordings, in increasing id
 * order, named as in the authors' README (walking, running, going_up, …). Values are the raw int16
 * (EMG uint8) readings as float; normalisation is the core's job. Splits are by participant.
 *
 * <p>Absent modalities (presence 0, values zeroed): a reading outside its sensor's range (a
 * transmission glitch; the published files hold seven, e.g. {@code 4312046944}) makes its
 * modality absent in every window that contains that sample; with {@code corruptedGyroAbsent},
 * the gyroscopes the authors' README lists as corrupted are absent in every window of that
 * recording. Both are counted in the description.
 */
public final class HugadbProvider implements DatasetProvider<HugadbConfig> {

    /** {@code HuGaDB_v<version>_<activity>_<participant>_<counter>.txt[.gz]}. */
    static final Pattern FILE_NAME = Pattern.compile("HuGaDB_v(\\d+)_([A-Za-z_]+?)_(\\d+)_(\\d+)\\.txt(\\.gz)?");

    /** The authors' README, which lists recordings with corrupted gyroscopes. */
    public static final String README = "README.md";

    private static final String HOW_TO_GET = "Get HuGaDB v1 from its authors (github romanchereshnev/HuGaDB) and place "
            + "the HuGaDB_v1_*.txt or .txt.gz files (and their README.md) there.";

    /** At most this many invalid readings are listed in the description. */
    private static final int MAX_NOTES = 50;

    private static final List<String> SPLITS = List.of("train", "validation", "test");

    @Override
    public String name() {
        return "hugadb";
    }

    @Override
    public Class<HugadbConfig> configType() {
        return HugadbConfig.class;
    }

    @Override
    public Path source(HugadbConfig config, Path dataRoot) {
        return dataRoot.resolve(config.path());
    }

    @Override
    public String description() {
        return "HuGaDB v1 gait database (6 leg IMUs acc+gyro, EMG pair; ~58.8 Hz), sliding windows per recording, "
                + "split by participant; protocols " + HugadbConfig.protocols();
    }

    @Override
    public DataSplits load(HugadbConfig config, Path dataRoot, long seed) {
        long t0 = System.nanoTime();
        Path dir = dataRoot.resolve(config.path());
        if (!Files.isDirectory(dir)) {
            throw Datasets.notFound("HuGaDB", dir, dataRoot, HOW_TO_GET);
        }
        List<FileEntry> all = list(dir);
        if (all.isEmpty()) {
            throw Datasets.notFound("HuGaDB recordings (HuGaDB_v1_<activity>_<participant>_<counter>.txt or .txt.gz)", dir, dataRoot, HOW_TO_GET);
        }
        Load load = new Load(config, dir, all);
        load.splitSubjects(seed);
        load.readCorruptedGyroTable(dataRoot);
        load.defineModalities();
        load.readFiles();
        load.resolveClasses();
        load.markCorruptedGyros();
        WindowDataset[] sets = load.cutWindows();
        return new DataSplits(sets[0], sets[1], sets[2], load.describe(name(), sets, t0));
    }

    /**
     * One load of the files {@code all} found in {@code dir}: the steps {@link HugadbProvider#load} runs in order,
     * each once. The fields are what the steps hand on; each step fills its own and reads those of
     * the steps before it. Reading ({@link #readFiles}) is kept apart from windowing
     * ({@link #cutWindows}).
     */
    private static final class Load {
        private final HugadbConfig config;
        private final Path dir;
        private final List<FileEntry> all;

        // set by splitSubjects
        private SubjectSplit split;
        private List<List<Integer>> splitSubjects;
        private List<FileEntry> files;

        // set by readCorruptedGyroTable (null unless corruptedGyroAbsent)
        private CorruptedGyroTable corrupted;

        // set by defineModalities
        private final List<ModalitySpec> specs = new ArrayList<>();
        private final List<HugadbReader.Group> groups = new ArrayList<>();
        private final List<String> gyroPosition = new ArrayList<>(); // per modality: its position when it is a gyroscope, else null

        // set by readFiles
        private List<HugadbRecording> recordings;
        private long readMillis;

        // set by resolveClasses
        private long samples;
        private final int[] classOf = new int[HugadbActivities.MAX_ID + 1];
        private final List<String> classNames = new ArrayList<>();
        private final List<Integer> classIds = new ArrayList<>();

        // set by markCorruptedGyros
        private final Map<HugadbRecording, boolean[]> absent = new IdentityHashMap<>();
        private int gyroAbsentRecordings;

        // set by cutWindows
        private final int[] recordingsPerSplit = new int[3];
        private final int[] absentWindows = new int[3];
        private final int[] invalidWindows = new int[3];
        private int shortRecordings;

        Load(HugadbConfig config, Path dir, List<FileEntry> all) {
            this.config = config;
            this.dir = dir;
            this.all = all;
        }

        /** The split by participant (configured, or the explicit lists), and the files of its participants. */
        void splitSubjects(long seed) {
            Set<Integer> found = new TreeSet<>();
            for (FileEntry f : all) {
                found.add(f.subject);
            }
            split = config.split() != null ? SubjectSplit.resolve(config.split(), found, seed, "split.") : explicitSplit(found);
            splitSubjects = split.splits();
            Set<Integer> wanted = new TreeSet<>();
            splitSubjects.forEach(wanted::addAll);
            files = all.stream().filter(f -> wanted.contains(f.subject)).toList();
        }

        private SubjectSplit explicitSplit(Set<Integer> found) {
            List<List<Integer>> lists = List.of(config.trainSubjects(), config.validationSubjects(), config.testSubjects());
            List<String> splitKeys = List.of("trainSubjects", "validationSubjects", "testSubjects");
            for (int s = 0; s < 3; s++) {
                List<Integer> missing = lists.get(s).stream().filter(x -> !found.contains(x)).toList();
                if (!missing.isEmpty()) {
                    throw new ConfigException(splitKeys.get(s), "no recordings of participant" + (missing.size() == 1 ? " " : "s ") + missing
                            + " in " + Datasets.abs(dir) + " (participants found: " + found + ")");
                }
            }
            return new SubjectSplit(lists.get(0), lists.get(1), lists.get(2), "explicit");
        }

        /** The authors' list of corrupted gyroscopes, when {@code corruptedGyroAbsent} asks for it. */
        void readCorruptedGyroTable(Path dataRoot) {
            if (config.corruptedGyroAbsent()) {
                Path readme = TextFiles.find(dir, README).orElseThrow(() -> Datasets.notFound(
                        "HuGaDB's README.md (needed by corruptedGyroAbsent: true: it lists the corrupted gyroscopes)",
                        dir.resolve(README), dataRoot, "Copy README.md from the authors' repository (github romanchereshnev/HuGaDB) beside the data files."));
                corrupted = CorruptedGyroTable.read(readme);
            }
        }

        /** The modalities: positions x sensors, then the EMG pair. */
        void defineModalities() {
            for (String pos : config.positions()) {
                for (String sensor : config.sensors()) {
                    List<String> cols = HugadbPositions.columns(pos, sensor);
                    specs.add(new ModalitySpec(HugadbPositions.modality(pos, sensor), cols, config.samplingRateHz(), HugadbPositions.DEVICES.get(pos)));
                    groups.add(HugadbReader.Group.int16(cols));
                    gyroPosition.add(sensor.equals("gyro") ? pos : null);
                }
            }
            if (config.emg()) {
                specs.add(new ModalitySpec(HugadbPositions.EMG_MODALITY, HugadbPositions.EMG_COLUMNS, config.samplingRateHz(), HugadbPositions.EMG_DEVICE));
                groups.add(HugadbReader.Group.uint8(HugadbPositions.EMG_COLUMNS));
                gyroPosition.add(null);
            }
        }

        /** The recordings of the split's participants, read on a few threads (in file order). */
        void readFiles() {
            long tRead = System.nanoTime();
            recordings = readAll(new HugadbReader(groups), files);
            readMillis = Datasets.millisSince(tRead);
        }

        /** The classes: activity ids present, in id order. */
        void resolveClasses() {
            boolean[] present = new boolean[HugadbActivities.MAX_ID + 1];
            for (HugadbRecording r : recordings) {
                samples += r.length();
                int[] a = r.activities();
                for (int i = 0; i < r.length(); i++) {
                    present[a[i]] = true;
                }
            }
            Arrays.fill(classOf, -1);
            for (int id = 1; id <= HugadbActivities.MAX_ID; id++) {
                if (present[id]) {
                    classOf[id] = classNames.size();
                    classNames.add(HugadbActivities.name(id));
                    classIds.add(id);
                }
            }
        }

        /** The modalities absent in every window of a recording: its gyroscopes that the authors list as corrupted. */
        void markCorruptedGyros() {
            if (corrupted == null) {
                return;
            }
            for (HugadbRecording r : recordings) {
                Set<String> bad = corrupted.corruptedGyros(r.name());
                boolean[] a = new boolean[specs.size()];
                boolean any = false;
                for (int m = 0; m < specs.size(); m++) {
                    a[m] = gyroPosition.get(m) != null && bad.contains(gyroPosition.get(m));
                    any |= a[m];
                }
                if (any) {
                    absent.put(r, a);
                    gyroAbsentRecordings++;
                }
            }
        }

        /** The train, validation and test windows: each recording windowed alone. */
        WindowDataset[] cutWindows() {
            WindowDataset[] sets = new WindowDataset[3];
            for (int s = 0; s < 3; s++) {
                sets[s] = cutSplit(s);
            }
            return sets;
        }

        private WindowDataset cutSplit(int s) {
            Set<Integer> subjects = Set.copyOf(splitSubjects.get(s));
            List<HugadbRecording> rs = recordings.stream().filter(r -> subjects.contains(r.subject())).toList();
            recordingsPerSplit[s] = rs.size();
            int n = 0;
            for (HugadbRecording r : rs) {
                int k = SlidingWindows.count(r.length(), config.window(), config.stride());
                shortRecordings += k == 0 ? 1 : 0;
                n += k;
            }
            int[] lengths = new int[specs.size()];
            Arrays.fill(lengths, config.window());
            WindowDatasetBuilder b = new WindowDatasetBuilder(specs, lengths, n);
            int i = 0;
            for (HugadbRecording r : rs) {
                i = addWindows(b, i, r, s);
            }
            return b.build(classNames);
        }

        /** The windows of recording r as entries i, i + 1, … of split s's builder; returns the next free entry. */
        private int addWindows(WindowDatasetBuilder b, int i, HugadbRecording r, int s) {
            int k = SlidingWindows.count(r.length(), config.window(), config.stride());
            if (k == 0) {
                return i;
            }
            int[] sampleClass = new int[r.length()];
            for (int q = 0; q < sampleClass.length; q++) {
                sampleClass[q] = classOf[r.activities()[q]];
            }
            boolean[] a = absent.get(r);
            for (int w = 0; w < k; w++, i++) {
                int start = w * config.stride();
                boolean anyInvalid = false;
                for (int m = 0; m < specs.size(); m++) {
                    boolean bad = r.invalid()[m].length > 0 && r.invalid(m, start, start + config.window());
                    anyInvalid |= bad;
                    if ((a != null && a[m]) || bad) {
                        b.setAbsent(i, m);
                    } else {
                        b.copyWindow(i, m, r.values()[m], start * specs.get(m).channels());
                    }
                }
                if (anyInvalid) {
                    invalidWindows[s]++;
                }
                if (a != null) {
                    absentWindows[s]++;
                }
                b.setLabel(i, config.labels().label(sampleClass, start, config.window()));
                b.setSubject(i, r.subject());
            }
            return i;
        }

        /** The dataset's description; {@code t0} is when the load started. */
        Map<String, Object> describe(String reader, WindowDataset[] sets, long t0) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("reader", reader);
            d.put("protocol", config.protocol());
            d.put("path", Datasets.abs(dir).toString());
            d.put("filesFound", all.size());
            d.put("recordings", recordings.size());
            d.put("samples", samples);
            d.put("recordingsShorterThanWindow", shortRecordings);
            d.put("modalities", specs.stream().map(ModalitySpec::name).toList());
            d.put("devices", specs.stream().map(ModalitySpec::device).distinct().toList());
            d.put("window", config.window());
            d.put("stride", config.stride());
            d.put("samplingRateHz", config.samplingRateHz());
            d.put("subjects", split.describe());
            d.put("labelPolicy", config.labels().toString());
            d.put("recordingsPerSplit", Datasets.perSplit(recordingsPerSplit[0], recordingsPerSplit[1], recordingsPerSplit[2]));
            d.put("windows", Datasets.perSplit(sets[0].size(), sets[1].size(), sets[2].size()));
            d.put("labelledWindows", Datasets.perSplit(WindowDatasetBuilder.labelled(sets[0]), WindowDatasetBuilder.labelled(sets[1]),
                    WindowDatasetBuilder.labelled(sets[2])));
            d.put("classNames", classNames);
            d.put("classActivityIds", classIds);
            d.put("corruptedGyroAbsent", config.corruptedGyroAbsent());
            if (corrupted != null) {
                d.put("recordingsWithGyroAbsent", gyroAbsentRecordings);
                d.put("windowsWithGyroAbsent", Datasets.perSplit(absentWindows[0], absentWindows[1], absentWindows[2]));
            }
            List<String> notes = recordings.stream().flatMap(r -> r.invalidNotes().stream()).toList();
            d.put("invalidReadings", notes.size());
            d.put("invalidReadingsSeen", notes.size() <= MAX_NOTES ? notes : notes.subList(0, MAX_NOTES));
            d.put("windowsWithInvalidReadingAbsent", Datasets.perSplit(invalidWindows[0], invalidWindows[1], invalidWindows[2]));
            d.put("readMillis", readMillis);
            d.put("loadMillis", Datasets.millisSince(t0));
            return d;
        }
    }

    /** A data file found in the folder. */
    record FileEntry(Path path, String name, String activity, int subject, int counter) {
    }

    /** HuGaDB files in {@code dir}, one per recording (a plain .txt wins over its .txt.gz), sorted by participant, then name. */
    static List<FileEntry> list(Path dir) {
        Map<String, FileEntry> byName = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String fileName = p.getFileName().toString();
                Matcher m = FILE_NAME.matcher(fileName);
                if (!m.matches() || !Files.isRegularFile(p)) {
                    return;
                }
                String base = TextFiles.baseName(p);
                FileEntry e = new FileEntry(p, base, m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
                FileEntry old = byName.get(base);
                if (old == null || TextFiles.isGzip(old.path())) {
                    byName.put(base, e);
                }
            });
        } catch (IOException e) {
            throw TextFiles.failure(dir, e);
        }
        List<FileEntry> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparingInt(FileEntry::subject).thenComparing(FileEntry::name));
        return out;
    }

    /** Reads the files on a few threads; the result keeps the files' order. */
    private static List<HugadbRecording> readAll(HugadbReader reader, List<FileEntry> files) {
        return Parallel.map(files, f -> reader.read(f.path(), f.activity(), f.subject()), "hugadb-reader");
    }
}
