package org.crossl.datasets.recordings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.spi.ConfigException;
import org.crossl.datasets.Datasets;
import org.crossl.datasets.io.Parallel;
import org.crossl.datasets.io.TextFiles;
import org.crossl.datasets.io.WindowDatasetBuilder;
import org.crossl.datasets.split.SubjectSplit;
import org.crossl.datasets.window.LabelPolicy;

/**
 * One load of a {@code type: recordings} dataset (see {@link RecordingsProvider} for what it reads
 * and how windows and labels are placed in time). {@link RecordingsProvider#load} runs the steps in
 * order, each once: {@link #findRecordings}, {@link #groupFiles}, {@link #locateFiles},
 * {@link #resolveChannels}, {@link #readFiles}, {@link #resolveRates}, {@link #resolveClasses},
 * {@link #cutWindows}, {@link #splitSubjects}, {@link #build} and {@link #describe}. The fields are
 * what the steps hand on: each step fills its own and reads those of the steps before it.
 *
 * <p>Reading is kept apart from windowing: {@link #readFiles} only parses each recording's rows
 * ({@link RecordingCsv}, {@link LabelFile}); the later steps turn the parsed rows into tracks in
 * time, the tracks into windows, and the windows into the splits.
 */
final class RecordingsLoad {

    /** At most this many notes (rate mismatches, …) are listed in the description. */
    private static final int MAX_NOTES = 50;

    /** A recording whose mean step differs from the modality's period by more than this is noted in the description. */
    private static final double RATE_TOLERANCE = 0.05;

    private final RecordingsConfig config;
    private final Path root;
    private final List<RecordingsConfig.Modality> mods;
    private final int nm;
    private final RecordingsConfig.Labels lab;
    private final byte delim;
    /** class name → index when {@code classes} is configured, else null */
    private final Map<String, Integer> classIndex;
    private final boolean failOnUnknown;

    // set by findRecordings
    private final List<Rec> recs = new ArrayList<>();
    private List<String> ignored = List.of();
    private int nr;

    // set by groupFiles
    private final List<String> files = new ArrayList<>();
    private final int[] fileOf;
    private final List<List<Integer>> modsOfFile = new ArrayList<>();
    private int nf;
    /** the file holding the label column, or -1 */
    private int labelFileIdx;

    // set by locateFiles
    /** per recording and file: the file, or null where the recording lacks it */
    private Path[][] found;
    private int[] recordingsWithFile;

    // set by resolveChannels
    private final List<List<String>> channels = new ArrayList<>();

    // set by readFiles
    private List<RecData> data;
    private long readMillis;

    // set by resolveRates
    private double[] fileRate;
    private double[] unitOf;
    private double[] gapLimit; // in the timestamp column's unit
    private String[] rateFrom;
    /** samples per window, per modality and per file */
    private int[] len;
    private int[] fileLen;
    private double fastest;
    private int labelLen;
    private List<ModalitySpec> modSpecs;

    // set by resolveClasses
    private List<String> classNames;
    private final List<int[]> remap = new ArrayList<>(); // per recording: local label index -> class (file or column labels)
    private LabelPolicy policy;

    // set by cutWindows
    private int[] gaps;
    private int[] nonFiniteSamples;
    private final List<String> rateNotes = new ArrayList<>();
    private int rateNoteCount;
    private WindowList windows;
    private int[] recWindows;
    private int recordingsWithoutLabels;
    private int unknownLabels;
    private int[] labelBuf;

    // set by splitSubjects
    private TreeSet<Integer> subjects;
    private SubjectSplit split;
    private int[] splitOfRec;
    private final int[] recordingsPerSplit = new int[3];

    // set by build
    private final int[] absentMissingFile = new int[3];
    private final int[] absentNonFinite = new int[3];

    /** A load of {@code config}'s recordings under {@code root}, an existing folder. */
    RecordingsLoad(RecordingsConfig config, Path root) {
        this.config = config;
        this.root = root;
        this.mods = config.modalities();
        this.nm = mods.size();
        this.lab = config.labels();
        this.delim = config.delimiterByte();
        this.classIndex = classIndex(lab);
        this.failOnUnknown = lab != null && "fail".equals(lab.unknownLabels());
        this.fileOf = new int[nm];
    }

    private static Map<String, Integer> classIndex(RecordingsConfig.Labels lab) {
        if (lab == null || lab.classes() == null) {
            return null;
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (String c : lab.classes()) {
            index.put(c, index.size());
        }
        return index;
    }

    /** A recording folder with its subject and session. */
    record Rec(Path dir, String relative, int subject, String session) {
    }

    /** What one recording's files hold. */
    record RecData(RecordingCsv.Table[] tables, LabelFile.Parsed labelFile) {
    }

    /** The recording folders: found by the layout, or listed in {@code recordings}. */
    void findRecordings() {
        if (config.recordings() == null) {
            scanLayout();
        } else {
            listRecordings();
        }
        nr = recs.size();
    }

    private void scanLayout() {
        RecordingLayout layout = RecordingLayout.parse(config.layout());
        RecordingLayout.Scan scan = layout.scan(root);
        ignored = scan.ignored();
        for (RecordingLayout.Found f : scan.recordings()) {
            recs.add(new Rec(f.dir(), f.relative(), f.subject(), f.session()));
        }
        if (recs.isEmpty()) {
            throw new DataFormatException("no recording folders matching layout '" + layout + "' (" + layout.depth() + " level"
                    + (layout.depth() == 1 ? "" : "s") + " below " + Datasets.abs(root) + ")" + (ignored.isEmpty() ? "; the folder has none "
                    + "that deep" : "; folders found there: " + ignored.subList(0, Math.min(10, ignored.size()))
                    + (ignored.size() > 10 ? " …" : "")) + ". Set layout (e.g. subject{subject}/session{session}) or list recordings.");
        }
        Map<String, Rec> seen = new HashMap<>();
        for (Rec r : recs) {
            Rec old = seen.put(r.subject() + "\u0000" + r.session(), r);
            if (old != null) {
                throw new DataFormatException("folders " + old.dir() + " and " + r.dir() + " are both subject " + r.subject()
                        + ", session '" + r.session() + "' under layout '" + layout + "'");
            }
        }
    }

    private void listRecordings() {
        for (int i = 0; i < config.recordings().size(); i++) {
            RecordingsConfig.Recording r = config.recordings().get(i);
            Path dir = root.resolve(r.path());
            if (!Files.isDirectory(dir)) {
                throw new ConfigException("recordings[" + i + "].path", "no folder " + Datasets.abs(dir));
            }
            recs.add(new Rec(dir, r.path(), r.subject(), r.session()));
        }
    }

    /** The distinct files of the modalities, in order of first use: modalities sharing a file are read together. */
    void groupFiles() {
        for (int m = 0; m < nm; m++) {
            String file = mods.get(m).file();
            int f = files.indexOf(file);
            if (f < 0) {
                f = files.size();
                files.add(file);
                modsOfFile.add(new ArrayList<>());
            }
            fileOf[m] = f;
            modsOfFile.get(f).add(m);
        }
        nf = files.size();
        labelFileIdx = lab != null && lab.column() != null ? fileOf[indexOf(mods, lab.modality())] : -1;
    }

    /** Each recording's copy of each file (plain or .gz), and a check that every modality has data somewhere. */
    void locateFiles() {
        found = new Path[nr][nf];
        recordingsWithFile = new int[nf];
        for (int r = 0; r < nr; r++) {
            for (int f = 0; f < nf; f++) {
                found[r][f] = TextFiles.find(recs.get(r).dir(), files.get(f)).orElse(null);
                Path odd = recs.get(r).dir().resolve(files.get(f));
                if (found[r][f] == null && Files.exists(odd)) {
                    // something is there but it is not a file: a mistake, not an absent sensor
                    throw new DataFormatException(odd.toAbsolutePath() + " is not a regular file (a directory?); a recording's "
                            + files.get(f) + " must be a CSV file, or be left out to mark the modality absent");
                }
                recordingsWithFile[f] += found[r][f] != null ? 1 : 0;
            }
        }
        for (int m = 0; m < nm; m++) {
            if (recordingsWithFile[fileOf[m]] == 0) {
                throw new ConfigException("modalities[" + m + "]", "modality '" + mods.get(m).name() + "' has no data: none of the " + nr
                        + " recording folders under " + Datasets.abs(root) + " has " + mods.get(m).file() + " (or .gz), e.g. "
                        + Datasets.abs(recs.get(0).dir()));
            }
        }
    }

    /** Each modality's channels: configured, or by default the columns of the first recording's file. */
    void resolveChannels() {
        for (int m = 0; m < nm; m++) {
            RecordingsConfig.Modality mod = mods.get(m);
            channels.add(mod.channels() != null ? mod.channels() : defaultChannels(m));
        }
    }

    /** The first recording's file, without the timestamp, label and unnamed columns. */
    private List<String> defaultChannels(int m) {
        RecordingsConfig.Modality mod = mods.get(m);
        Path first = null;
        for (int r = 0; r < nr && first == null; r++) {
            first = found[r][fileOf[m]];
        }
        List<String> cols = new ArrayList<>(RecordingCsv.header(first, delim));
        cols.remove(mod.timestampColumn());
        if (labelFileIdx == fileOf[m]) {
            cols.remove(lab.column());
        }
        cols.removeIf(String::isEmpty);
        if (cols.isEmpty()) {
            throw new DataFormatException(first, 1, "no channel columns for modality '" + mod.name() + "': the header has only "
                    + RecordingCsv.header(first, delim));
        }
        return List.copyOf(cols);
    }

    /** Every recording's files and label file, parsed into rows on a few threads (in recording order). */
    void readFiles() {
        RecordingCsv.Spec[] specs = csvSpecs();
        long tRead = System.nanoTime();
        data = readAll(recs.size(), r -> readRecording(r, specs));
        readMillis = Datasets.millisSince(tRead);
    }

    /** What to read from each file: its modalities' channels, and the timestamp and label columns. */
    private RecordingCsv.Spec[] csvSpecs() {
        RecordingCsv.Spec[] specs = new RecordingCsv.Spec[nf];
        for (int f = 0; f < nf; f++) {
            RecordingsConfig.Modality first = mods.get(modsOfFile.get(f).get(0));
            List<List<String>> groups = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int m : modsOfFile.get(f)) {
                groups.add(channels.get(m));
                names.add(mods.get(m).name());
            }
            specs[f] = new RecordingCsv.Spec(files.get(f), first.timestampColumn(), f == labelFileIdx ? lab.column() : null, groups, names,
                    delim, config.nonFinite().equals("fail"), classIndex, failOnUnknown);
        }
        return specs;
    }

    /** The files of recording r (runs on a reader thread). */
    private RecData readRecording(int r, RecordingCsv.Spec[] specs) {
        RecordingCsv.Table[] tables = new RecordingCsv.Table[nf];
        for (int f = 0; f < nf; f++) {
            if (found[r][f] != null) {
                tables[f] = RecordingCsv.read(found[r][f], specs[f]);
            }
        }
        LabelFile.Parsed lf = null;
        if (lab != null && lab.file() != null) {
            Path p = TextFiles.find(recs.get(r).dir(), lab.file()).orElse(null);
            if (p != null) {
                lf = LabelFile.read(p, delim, classIndex, failOnUnknown);
            }
        }
        return new RecData(tables, lf);
    }

    /** Each file's rate (declared, or from the timestamps of all recordings) and the window lengths it gives. */
    void resolveRates() {
        fileRate = new double[nf];
        unitOf = new double[nf];
        gapLimit = new double[nf];
        rateFrom = new String[nf];
        for (int f = 0; f < nf; f++) {
            RecordingsConfig.Modality first = mods.get(modsOfFile.get(f).get(0));
            if (!first.timestamped()) {
                fileRate[f] = first.samplingRateHz();
                rateFrom[f] = "declared";
                continue;
            }
            unitOf[f] = RecordingsConfig.secondsPer(first.timestampUnit());
            estimateRate(f, first);
        }
        sizeWindows();
    }

    /** 1 / mean step over all recordings, gaps (> maxGapFactor x median step) left out. */
    private void estimateRate(int f, RecordingsConfig.Modality first) {
        double[] diffs = timestampSteps(f, first);
        gapLimit[f] = config.maxGapFactor() * median(diffs);
        double sum = 0;
        long steps = 0;
        for (double x : diffs) {
            if (x <= gapLimit[f]) {
                sum += x;
                steps++;
            }
        }
        fileRate[f] = new java.math.BigDecimal(1 / (sum / steps * unitOf[f])).round(new java.math.MathContext(6)).doubleValue();
        rateFrom[f] = "timestamps";
    }

    /** The steps between consecutive timestamps of file f, over all recordings, in the column's unit. */
    private double[] timestampSteps(int f, RecordingsConfig.Modality first) {
        long count = 0;
        for (RecData d : data) {
            if (d.tables()[f] != null) {
                count += d.tables()[f].n() - 1;
            }
        }
        if (count == 0) {
            throw new DataFormatException("cannot estimate the sampling rate of " + files.get(f) + " (modality '" + first.name()
                    + "'): every recording's file has a single sample; give samplingRateHz instead of timestampColumn");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new DataFormatException("too many samples in " + files.get(f) + " to estimate its rate");
        }
        double[] diffs = new double[(int) count];
        int k = 0;
        for (RecData d : data) {
            RecordingCsv.Table tb = d.tables()[f];
            if (tb != null) {
                for (int i = 1; i < tb.n(); i++) {
                    diffs[k++] = tb.timestamps()[i] - tb.timestamps()[i - 1];
                }
            }
        }
        return diffs;
    }

    /** Samples per window of each modality and of the label timeline (at the fastest rate). */
    private void sizeWindows() {
        len = new int[nm];
        fastest = 0;
        modSpecs = new ArrayList<>(nm);
        for (int m = 0; m < nm; m++) {
            double rate = fileRate[fileOf[m]];
            long t = Math.round(config.windowSeconds() * rate);
            if (t < 1) {
                throw new ConfigException("windowSeconds", config.windowSeconds() + " s holds no sample of modality '" + mods.get(m).name()
                        + "' at " + rate + " Hz; use longer windows");
            }
            if (t > Integer.MAX_VALUE / 64) {
                throw new ConfigException("windowSeconds", config.windowSeconds() + " s holds " + t + " samples of modality '"
                        + mods.get(m).name() + "'; use shorter windows");
            }
            len[m] = (int) t;
            fastest = Math.max(fastest, rate);
            modSpecs.add(new ModalitySpec(mods.get(m).name(), channels.get(m), rate, mods.get(m).device()));
        }
        fileLen = new int[nf];
        for (int m = 0; m < nm; m++) {
            fileLen[fileOf[m]] = len[m];
        }
        labelLen = (int) Math.max(1, Math.round(config.windowSeconds() * fastest));
    }

    /** The classes: configured, or the labels seen, sorted; and each recording's map from its own label indices to them. */
    void resolveClasses() {
        if (lab == null) {
            classNames = List.of();
        } else if (classIndex != null) {
            classNames = List.copyOf(classIndex.keySet());
        } else {
            TreeSet<String> seen = new TreeSet<>();
            for (RecData d : data) {
                seen.addAll(localNames(d, labelFileIdx));
            }
            classNames = sortLabels(seen);
        }
        Map<String, Integer> classOf = new HashMap<>();
        for (int c = 0; c < classNames.size(); c++) {
            classOf.put(classNames.get(c), c);
        }
        for (RecData d : data) {
            List<String> local = lab == null || classIndex != null ? List.of() : localNames(d, labelFileIdx);
            int[] map = new int[local.size()];
            for (int i = 0; i < map.length; i++) {
                map[i] = classOf.get(local.get(i));
            }
            remap.add(map);
        }
        policy = lab == null ? null : lab.labelPolicy();
    }

    /** The windows of every recording, in recording and time order, with their labels. */
    void cutWindows() {
        gaps = new int[nf];
        nonFiniteSamples = new int[nm];
        windows = new WindowList(nf);
        recWindows = new int[nr];
        labelBuf = new int[labelLen];
        for (int r = 0; r < nr; r++) {
            cutRecording(r);
        }
    }

    private void cutRecording(int r) {
        RecData d = data.get(r);
        double origin = clockOrigin(d);
        boolean hasClock = origin != Double.POSITIVE_INFINITY;
        if (!hasClock) {
            origin = 0;
        }
        Track[] tracks = tracks(d, origin);
        Segments segs = labelSegments(r, d, tracks, origin, hasClock);
        addWindows(r, tracks, segs);
    }

    /** The recording's earliest first timestamp in seconds, or +∞ when none of its files has timestamps. */
    private double clockOrigin(RecData d) {
        double origin = Double.POSITIVE_INFINITY;
        for (int f = 0; f < nf; f++) {
            RecordingCsv.Table tb = d.tables()[f];
            if (tb != null && tb.timestamps() != null) {
                origin = Math.min(origin, tb.timestamps()[0] * unitOf[f]);
            }
        }
        return origin;
    }

    /** Where each file's samples are in time (null for a file the recording lacks); counts what the tables hold. */
    private Track[] tracks(RecData d, double origin) {
        Track[] tracks = new Track[nf];
        for (int f = 0; f < nf; f++) {
            RecordingCsv.Table tb = d.tables()[f];
            if (tb == null) {
                continue;
            }
            for (int g = 0; g < modsOfFile.get(f).size(); g++) {
                nonFiniteSamples[modsOfFile.get(f).get(g)] += tb.nonFinite()[g].length;
            }
            unknownLabels += tb.unknownLabels();
            tracks[f] = tb.timestamps() == null ? new Track(tb.n(), fileRate[f], null, new int[0]) : timedTrack(f, tb, origin);
        }
        return tracks;
    }

    /** The track of a timestamped file: times in seconds from the origin, gaps where a step exceeds the file's gap limit. */
    private Track timedTrack(int f, RecordingCsv.Table tb, double origin) {
        double[] raw = tb.timestamps();
        double unit = unitOf[f];
        double offset = raw[0] * unit - origin;
        double[] t = new double[tb.n()];
        double limit = gapLimit[f];
        int[] gs = new int[4];
        int ng = 0;
        for (int i = 0; i < tb.n(); i++) {
            t[i] = (raw[i] - raw[0]) * unit + offset;
            if (i > 0 && raw[i] - raw[i - 1] > limit) {
                if (ng == gs.length) {
                    gs = Arrays.copyOf(gs, ng * 2);
                }
                gs[ng++] = i;
            }
        }
        gaps[f] += ng;
        Track track = new Track(tb.n(), fileRate[f], t, Arrays.copyOf(gs, ng));
        if (tb.n() - 1 > ng) {
            noteRateMismatch(f, tb, ng);
        }
        return track;
    }

    /** Notes the file when its own mean step (gaps left out) is off the modality's rate by more than the tolerance. */
    private void noteRateMismatch(int f, RecordingCsv.Table tb, int ng) {
        double[] raw = tb.timestamps();
        double limit = gapLimit[f];
        double sum = 0;
        for (int i = 1; i < tb.n(); i++) {
            double x = raw[i] - raw[i - 1];
            sum += x <= limit ? x : 0;
        }
        double own = sum / (tb.n() - 1 - ng) * unitOf[f];
        if (Math.abs(own * fileRate[f] - 1) > RATE_TOLERANCE) {
            rateNoteCount++;
            if (rateNotes.size() < MAX_NOTES) {
                rateNotes.add(tb.file() + ": " + (float) (1 / own) + " Hz (mean step " + (float) own + " s), the modality's rate is "
                        + fileRate[f] + " Hz");
            }
        }
    }

    /** Label segments in seconds from the recording's start, or null when the recording has no labels. */
    private Segments labelSegments(int r, RecData d, Track[] tracks, double origin, boolean hasClock) {
        if (lab != null && lab.file() != null) {
            if (d.labelFile() == null) {
                recordingsWithoutLabels++;
                return null;
            }
            unknownLabels += d.labelFile().unknownLabels();
            if (config.anyTimestamped() && !hasClock && !d.labelFile().segments().isEmpty()) {
                throw new DataFormatException(d.labelFile().file() + ": label times are on the timestamp clock, but recording "
                        + recs.get(r).dir() + " has none of the timestamped modality files, so they cannot be placed");
            }
            double unit = RecordingsConfig.secondsPer(lab.timeUnit());
            double base = config.anyTimestamped() ? origin : 0;
            return Segments.fromFile(d.labelFile(), unit, base, classIndex != null ? null : remap.get(r));
        } else if (lab != null) {
            RecordingCsv.Table tb = d.tables()[labelFileIdx];
            if (tb == null) {
                recordingsWithoutLabels++;
                return null;
            }
            return Segments.fromColumn(tb.labels(), tracks[labelFileIdx], classIndex != null ? null : remap.get(r));
        }
        return null;
    }

    /** The windows of recording r: every present file must cover the window. */
    private void addWindows(int r, Track[] tracks, Segments segs) {
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        boolean any = false;
        for (Track tr : tracks) {
            if (tr != null) {
                any = true;
                lo = Math.max(lo, tr.start() - tr.period);
                hi = Math.min(hi, tr.end());
            }
        }
        if (!any || hi - lo < config.windowSeconds() - 1e-9) {
            return;
        }
        double stride = config.strideSeconds();
        long kFrom = Math.max(0, (long) Math.floor(lo / stride));
        long kTo = (long) Math.ceil(hi / stride);
        int[] starts = new int[nf];
        for (long k = kFrom; k <= kTo; k++) {
            double s = k * stride;
            if (!covers(tracks, s, starts)) {
                continue;
            }
            int label = WindowBatch.UNLABELLED;
            if (segs != null) {
                segs.sample(s, fastest, labelBuf);
                label = policy.label(labelBuf, 0, labelLen);
            }
            windows.add(r, starts, label);
            recWindows[r]++;
        }
    }

    /** True when every present track covers the window starting at {@code s}; fills {@code starts} (-1 for an absent file). */
    private boolean covers(Track[] tracks, double s, int[] starts) {
        boolean covered = true;
        for (int f = 0; f < nf && covered; f++) {
            if (tracks[f] != null) {
                starts[f] = tracks[f].startIndex(s, fileLen[f]);
                covered = starts[f] >= 0;
            } else {
                starts[f] = -1;
            }
        }
        return covered;
    }

    /** The subject split, and the split of each recording (-1 for none). */
    void splitSubjects(long seed) {
        subjects = new TreeSet<>();
        for (Rec r : recs) {
            subjects.add(r.subject());
        }
        split = SubjectSplit.resolve(config.split(), subjects, seed, "split.");
        splitOfRec = new int[nr];
        for (int r = 0; r < nr; r++) {
            splitOfRec[r] = split.splitOf(recs.get(r).subject());
            if (splitOfRec[r] >= 0) {
                recordingsPerSplit[splitOfRec[r]]++;
            }
        }
    }

    /** The train, validation and test datasets: each window's samples copied from its recording's tables. */
    WindowDataset[] build() {
        WindowDatasetBuilder[] builders = newBuilders();
        int[] next = new int[3];
        int[] groupOf = new int[nm]; // index of modality m among the modalities of its file
        for (int m = 0; m < nm; m++) {
            groupOf[m] = modsOfFile.get(fileOf[m]).indexOf(m);
        }
        for (int w = 0; w < windows.size(); w++) {
            int s = splitOfRec[windows.rec(w)];
            if (s >= 0) {
                fillWindow(builders[s], next[s]++, w, s, groupOf);
            }
        }
        WindowDataset[] sets = new WindowDataset[3];
        for (int s = 0; s < 3; s++) {
            sets[s] = builders[s].build(classNames);
        }
        return sets;
    }

    private WindowDatasetBuilder[] newBuilders() {
        int[] perSplitCount = new int[3];
        for (int w = 0; w < windows.size(); w++) {
            int s = splitOfRec[windows.rec(w)];
            if (s >= 0) {
                perSplitCount[s]++;
            }
        }
        WindowDatasetBuilder[] builders = new WindowDatasetBuilder[3];
        for (int s = 0; s < 3; s++) {
            builders[s] = new WindowDatasetBuilder(modSpecs, len, perSplitCount[s]);
        }
        return builders;
    }

    /** Window w as entry i of split s's builder. */
    private void fillWindow(WindowDatasetBuilder b, int i, int w, int s, int[] groupOf) {
        int r = windows.rec(w);
        RecData d = data.get(r);
        for (int m = 0; m < nm; m++) {
            int f = fileOf[m];
            RecordingCsv.Table tb = d.tables()[f];
            if (tb == null) {
                b.setAbsent(i, m);
                absentMissingFile[s]++;
                continue;
            }
            int g = groupOf[m];
            int j = windows.start(w, f);
            if (containsAny(tb.nonFinite()[g], j, j + len[m])) {
                b.setAbsent(i, m);
                absentNonFinite[s]++;
                continue;
            }
            b.copyWindow(i, m, tb.values()[g], j * modSpecs.get(m).channels());
        }
        b.setLabel(i, windows.label(w));
        b.setSubject(i, recs.get(r).subject());
    }

    /** The dataset's description; {@code t0} is when the load started. */
    Map<String, Object> describe(String reader, WindowDataset[] sets, long t0) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reader", reader);
        d.put("path", Datasets.abs(root).toString());
        d.put("layout", config.recordings() == null ? config.layout() : "explicit recordings list");
        d.put("recordings", nr);
        if (!ignored.isEmpty()) {
            d.put("foldersNotMatchingLayout", ignored.size() <= MAX_NOTES ? ignored : ignored.subList(0, MAX_NOTES));
        }
        d.put("recordingsPerSplit", Datasets.perSplit(recordingsPerSplit[0], recordingsPerSplit[1], recordingsPerSplit[2]));
        int withoutWindows = 0;
        for (int c : recWindows) {
            withoutWindows += c == 0 ? 1 : 0;
        }
        d.put("recordingsWithoutWindows", withoutWindows);
        d.put("subjects", split.describe());
        d.put("modalities", describeModalities());
        d.put("windowSeconds", config.windowSeconds());
        d.put("strideSeconds", config.strideSeconds());
        d.put("maxGapFactor", config.maxGapFactor());
        describeLabels(d);
        d.put("classNames", classNames);
        d.put("windows", Datasets.perSplit(sets[0].size(), sets[1].size(), sets[2].size()));
        d.put("labelledWindows", Datasets.perSplit(WindowDatasetBuilder.labelled(sets[0]), WindowDatasetBuilder.labelled(sets[1]),
                WindowDatasetBuilder.labelled(sets[2])));
        d.put("recordingsWithoutModality", recordingsWithoutModality());
        d.put("subjectsWithoutModality", subjectsWithoutModality());
        d.put("nonFinite", config.nonFinite());
        d.put("absentFromMissingFile", Datasets.perSplit(absentMissingFile[0], absentMissingFile[1], absentMissingFile[2]));
        d.put("absentFromNonFinite", Datasets.perSplit(absentNonFinite[0], absentNonFinite[1], absentNonFinite[2]));
        if (rateNoteCount > 0) {
            d.put("rateMismatches", rateNoteCount);
            d.put("rateMismatchesSeen", rateNotes);
        }
        d.put("readMillis", readMillis);
        d.put("loadMillis", Datasets.millisSince(t0));
        return d;
    }

    private Map<String, Object> describeModalities() {
        Map<String, Object> md = new LinkedHashMap<>();
        for (int m = 0; m < nm; m++) {
            int f = fileOf[m];
            RecordingsConfig.Modality mod = mods.get(m);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", mod.file());
            e.put("channels", channels.get(m));
            e.put("device", modSpecs.get(m).device());
            e.put("samplingRateHz", fileRate[f]);
            e.put("rateFrom", rateFrom[f].equals("declared") ? "declared" : "mean step between gaps of the timestamps in column '"
                    + mod.timestampColumn() + "' (" + mod.timestampUnit() + ")");
            e.put("windowSamples", len[m]);
            e.put("recordingsWithFile", recordingsWithFile[f]);
            if (mod.timestamped()) {
                e.put("gaps", gaps[f]);
            }
            e.put("nonFiniteSamples", nonFiniteSamples[m]);
            md.put(mod.name(), e);
        }
        return md;
    }

    private void describeLabels(Map<String, Object> d) {
        if (lab == null) {
            d.put("labels", "none: every window is unlabelled");
            return;
        }
        d.put("labels", lab.file() != null ? "segment file " + lab.file() + " (times in " + lab.timeUnit() + ", "
                + (config.anyTimestamped() ? "on the timestamp clock" : "from the recording's start") + ")"
                : "column '" + lab.column() + "' of modality '" + lab.modality() + "'");
        d.put("labelPolicy", policy.toString());
        d.put("labelTimelineRateHz", fastest);
        d.put("labelSamplesPerWindow", labelLen);
        d.put("recordingsWithoutLabels", recordingsWithoutLabels);
        if (classIndex != null) {
            d.put("unknownLabels", lab.unknownLabels());
            d.put("unknownLabelsMadeUnlabelled", unknownLabels);
        }
    }

    private Map<String, Object> recordingsWithoutModality() {
        Map<String, Object> missingRecordings = new LinkedHashMap<>();
        for (int m = 0; m < nm; m++) {
            missingRecordings.put(mods.get(m).name(), nr - recordingsWithFile[fileOf[m]]);
        }
        return missingRecordings;
    }

    private Map<String, Object> subjectsWithoutModality() {
        Map<String, Object> missingSubjects = new LinkedHashMap<>();
        for (int m = 0; m < nm; m++) {
            int f = fileOf[m];
            List<Integer> without = new ArrayList<>();
            for (int subject : subjects) {
                boolean has = false;
                for (int r = 0; r < nr && !has; r++) {
                    has = recs.get(r).subject() == subject && found[r][f] != null;
                }
                if (!has) {
                    without.add(subject);
                }
            }
            missingSubjects.put(mods.get(m).name(), without);
        }
        return missingSubjects;
    }

    private static int indexOf(List<RecordingsConfig.Modality> mods, String name) {
        for (int m = 0; m < mods.size(); m++) {
            if (mods.get(m).name().equals(name)) {
                return m;
            }
        }
        throw new IllegalStateException("no modality " + name);
    }

    private static List<String> localNames(RecData d, int labelFileIdx) {
        if (d.labelFile() != null) {
            return d.labelFile().labelNames();
        }
        if (labelFileIdx >= 0 && d.tables()[labelFileIdx] != null) {
            return d.tables()[labelFileIdx].labelNames();
        }
        return List.of();
    }

    /** Sorted: by value when every label is a number, else as text. */
    static List<String> sortLabels(TreeSet<String> labels) {
        List<String> out = new ArrayList<>(labels);
        boolean numeric = true;
        for (String s : out) {
            try {
                Double.parseDouble(s);
            } catch (NumberFormatException e) {
                numeric = false;
                break;
            }
        }
        if (numeric) {
            out.sort((a, b) -> {
                int c = Double.compare(Double.parseDouble(a), Double.parseDouble(b));
                return c != 0 ? c : a.compareTo(b);
            });
        }
        return List.copyOf(out);
    }

    private static boolean containsAny(int[] sorted, int from, int to) {
        if (sorted.length == 0) {
            return false;
        }
        int k = lowerBound(sorted, from);
        return k < sorted.length && sorted[k] < to;
    }

    static int lowerBound(double[] a, double key) {
        return lowerBound(a.length, i -> a[i] < key);
    }

    static int lowerBound(int[] a, int key) {
        return lowerBound(a.length, i -> a[i] < key);
    }

    /** The first index in {@code [0, n)} where {@code below} turns false; {@code below} must be true on a prefix only. */
    private static int lowerBound(int n, java.util.function.IntPredicate below) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (below.test(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    /** Where the samples of one file of one recording are in time. */
    static final class Track {
        final int n;
        final double rate;
        final double period;
        /** relative sample times in seconds, or null for a declared rate (sample i at i / rate) */
        final double[] t;
        /** sorted indices of the samples that start a new segment after a gap */
        final int[] gapStarts;

        Track(int n, double rate, double[] t, int[] gapStarts) {
            this.n = n;
            this.rate = rate;
            this.period = 1 / rate;
            this.t = t;
            this.gapStarts = gapStarts;
        }

        double start() {
            return t == null ? 0 : t[0];
        }

        double end() {
            return t == null ? n / rate : t[n - 1] + period;
        }

        double time(int i) {
            return t == null ? i / rate : t[i];
        }

        /** True when sample i begins a new segment after a gap. */
        boolean gapBefore(int i) {
            return gapStarts.length > 0 && Arrays.binarySearch(gapStarts, i) >= 0;
        }

        /** First sample of the window starting at {@code s} with {@code len} samples, or -1 when this track does not cover it. */
        int startIndex(double s, int len) {
            if (t == null) {
                long j = Math.round(s * rate);
                return j >= 0 && j + len <= n ? (int) j : -1;
            }
            int j = lowerBound(t, s - period / 2);
            if (j >= n || t[j] > s + period || j + len > n) {
                return -1;
            }
            if (gapStarts.length > 0) {
                // no segment may start inside (j, j + len - 1]
                int k = lowerBound(gapStarts, j + 1);
                if (k < gapStarts.length && gapStarts[k] <= j + len - 1) {
                    return -1;
                }
            }
            return j;
        }
    }

    /** Labelled spans of one recording in seconds from its start, sorted and disjoint. */
    static final class Segments {
        final double[] start;
        final double[] end;
        final int[] id;

        Segments(double[] start, double[] end, int[] id) {
            this.start = start;
            this.end = end;
            this.id = id;
        }

        static Segments fromFile(LabelFile.Parsed p, double unit, double base, int[] remap) {
            int n = p.segments().size();
            double[] s = new double[n];
            double[] e = new double[n];
            int[] id = new int[n];
            for (int i = 0; i < n; i++) {
                LabelFile.Segment seg = p.segments().get(i);
                s[i] = seg.start() * unit - base;
                e[i] = seg.end() * unit - base;
                id[i] = remap == null ? seg.id() : remap[seg.id()];
            }
            return new Segments(s, e, id);
        }

        /**
         * Runs of equal labels of a per-sample column: sample i covers {@code [t_i, t_{i+1})}, or
         * one period when a gap or the end follows.
         */
        static Segments fromColumn(int[] labels, Track tr, int[] remap) {
            List<double[]> out = new ArrayList<>();
            List<Integer> ids = new ArrayList<>();
            int n = tr.n;
            int i = 0;
            while (i < n) {
                int l = labels[i];
                int j = i + 1;
                while (j < n && labels[j] == l && !tr.gapBefore(j)) {
                    j++;
                }
                if (l >= 0) {
                    double endTime = j < n && !tr.gapBefore(j) ? tr.time(j) : tr.time(j - 1) + tr.period;
                    out.add(new double[] {tr.time(i), endTime});
                    ids.add(remap == null ? l : remap[l]);
                }
                i = j;
            }
            double[] s = new double[out.size()];
            double[] e = new double[out.size()];
            int[] id = new int[out.size()];
            for (int k = 0; k < s.length; k++) {
                s[k] = out.get(k)[0];
                e[k] = out.get(k)[1];
                id[k] = ids.get(k);
            }
            return new Segments(s, e, id);
        }

        /** Fills {@code out[i]} with the label at {@code s + (i + 0.5) / rate}, -1 where none. */
        void sample(double s, double rate, int[] out) {
            int k = lowerBound(end, s + 0.5 / rate);
            // end is sorted because the segments are disjoint and sorted by start
            for (int i = 0; i < out.length; i++) {
                double t = s + (i + 0.5) / rate;
                while (k < end.length && end[k] <= t) {
                    k++;
                }
                out[i] = k < end.length && start[k] <= t ? id[k] : -1;
            }
        }
    }

    /** The windows found, in recording and time order: recording, per-file start sample, label. */
    static final class WindowList {
        private final int nf;
        private int[] rec = new int[256];
        private int[] starts;
        private int[] labels = new int[256];
        private int size;

        WindowList(int nf) {
            this.nf = nf;
            this.starts = new int[256 * nf];
        }

        void add(int r, int[] fileStarts, int label) {
            if (size == rec.length) {
                rec = Arrays.copyOf(rec, size * 2);
                labels = Arrays.copyOf(labels, size * 2);
                starts = Arrays.copyOf(starts, size * 2 * nf);
            }
            rec[size] = r;
            labels[size] = label;
            System.arraycopy(fileStarts, 0, starts, size * nf, nf);
            size++;
        }

        int size() {
            return size;
        }

        int rec(int w) {
            return rec[w];
        }

        int start(int w, int f) {
            return starts[w * nf + f];
        }

        int label(int w) {
            return labels[w];
        }
    }

    /** Reads recordings 0..n-1 with {@code task} on a few threads; the result keeps their order. */
    private static List<RecData> readAll(int n, java.util.function.IntFunction<RecData> task) {
        List<Integer> indices = java.util.stream.IntStream.range(0, n).boxed().toList();
        return Parallel.map(indices, task::apply, "recordings-reader");
    }
}
