package org.crossl.datasets.hapt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.datasets.Datasets;
import org.crossl.datasets.io.ByteLines;
import org.crossl.datasets.io.DelimitedDoubles;
import org.crossl.datasets.io.Parallel;
import org.crossl.datasets.io.SlidingWindows;
import org.crossl.datasets.io.TextFiles;
import org.crossl.datasets.io.WindowDatasetBuilder;
import org.crossl.datasets.split.SubjectSplit;

/**
 * {@code type: hapt}: UCI HAPT v2.1 raw signals (Reyes-Ortiz et al., Neurocomputing 2016): a
 * waist-worn phone's accelerometer (g) and gyroscope (rad/s) at 50 Hz, 61 experiments of 30 users.
 *
 * <p>Reads {@code raw/acc_expXX_userYY.txt[.gz]} and {@code raw/gyro_expXX_userYY.txt[.gz]} (three
 * space-separated numbers per line) and the segments of {@code labels.txt} (see
 * {@link HaptLabels}); the user in the file name is the subject. Each experiment is windowed alone;
 * a window's label comes from the per-sample activity ids through the configured
 * {@link org.crossl.datasets.window.LabelPolicy}; with {@code classes: basic} the transitions
 * (ids 7–12) count as unlabelled samples, so under the default {@code uniform} policy a window
 * touching a transition or an unlabelled stretch is unlabelled, and kept for pretraining.
 *
 * <p>Absent data: an experiment without its gyroscope file has the gyroscope absent in all its
 * windows; a non-finite reading (NaN, Inf) makes its modality absent in every window containing
 * it; when the acc and gyro files of an experiment differ in length, windows stop at the shorter
 * one. Each is counted in the description.
 */
public final class HaptProvider implements DatasetProvider<HaptConfig> {

    static final Pattern FILE_NAME = Pattern.compile("(acc|gyro)_exp(\\d+)_user(\\d+)\\.txt(\\.gz)?");

    private static final String HOW_TO_GET = "Download 'Smartphone-Based Recognition of Human Activities and Postural "
            + "Transitions' (UCI, HAPT v2.1), and place labels.txt and the RawData files (acc_expXX_userYY.txt, "
            + "gyro_expXX_userYY.txt, plain or .gz) in raw/ there.";

    static final String[] ACTIVITY_NAMES = {"walking", "walking_upstairs", "walking_downstairs", "sitting", "standing", "laying",
        "stand_to_sit", "sit_to_stand", "sit_to_lie", "lie_to_sit", "stand_to_lie", "lie_to_stand"};

    @Override
    public String name() {
        return "hapt";
    }

    @Override
    public Class<HaptConfig> configType() {
        return HaptConfig.class;
    }

    @Override
    public Path source(HaptConfig config, Path dataRoot) {
        return dataRoot.resolve(config.path());
    }

    @Override
    public String description() {
        return "UCI HAPT raw signals (waist phone acc + gyro, 50 Hz, labels.txt segments); sliding windows per experiment, "
                + "split by user (default: official test users, 26-30 validation)";
    }

    /** One experiment's files. */
    record Experiment(int experiment, int user, Path acc, Path gyro) {
    }

    /** One sensor stream: {@code values} is [n, 3] row-major; {@code bad} lists samples with a non-finite value. */
    record Stream3(float[] values, int length, int[] bad) {
    }

    @Override
    public DataSplits load(HaptConfig config, Path dataRoot, long seed) {
        long t0 = System.nanoTime();
        Path dir = dataRoot.resolve(config.path());
        if (!Files.isDirectory(dir)) {
            throw Datasets.notFound("UCI HAPT", dir, dataRoot, HOW_TO_GET);
        }
        Path labelsFile = TextFiles.find(dir, "labels.txt")
                .or(() -> TextFiles.find(dir.resolve("raw"), "labels.txt"))
                .orElseThrow(() -> Datasets.notFound("HAPT labels.txt", dir.resolve("labels.txt"), dataRoot, HOW_TO_GET));
        Path raw = Files.isDirectory(dir.resolve("raw")) ? dir.resolve("raw") : dir.resolve("RawData");
        if (!Files.isDirectory(raw)) {
            throw Datasets.notFound("HAPT raw signal folder", dir.resolve("raw"), dataRoot, HOW_TO_GET);
        }
        List<Experiment> experiments = list(raw);
        if (experiments.isEmpty()) {
            throw Datasets.notFound("HAPT raw files (acc_expXX_userYY.txt or .txt.gz)", raw, dataRoot, HOW_TO_GET);
        }
        HaptLabels labels = HaptLabels.read(labelsFile);
        if (labels.experiments().isEmpty()) {
            // without a single segment nothing could be evaluated; an empty file is a broken download, not a choice
            throw new DataFormatException(labelsFile.toAbsolutePath() + " holds no label segments (expected lines 'exp user activity from to'); "
                    + "re-download it or restore the file");
        }
        Map<Integer, Experiment> byId = new TreeMap<>();
        for (Experiment e : experiments) {
            byId.put(e.experiment(), e);
        }
        for (int exp : labels.experiments()) {
            HaptLabels.Segment first = labels.of(exp).get(0);
            Experiment e = byId.get(exp);
            if (e == null) {
                throw new DataFormatException(labelsFile, first.line(), "experiment " + exp + " has labels but no acc_exp"
                        + String.format("%02d", exp) + "_user" + String.format("%02d", first.user()) + ".txt[.gz] in " + raw);
            }
            if (e.user() != first.user()) {
                throw new DataFormatException(labelsFile, first.line(), "experiment " + exp + " belongs to user " + first.user()
                        + " here but its raw file " + e.acc().getFileName() + " names user " + e.user());
            }
        }
        TreeSet<Integer> users = new TreeSet<>();
        experiments.forEach(e -> users.add(e.user()));
        SubjectSplit split = SubjectSplit.resolve(config.split(), users, seed, "split.");

        boolean wantAcc = config.sensors().contains("acc");
        boolean wantGyro = config.sensors().contains("gyro");
        List<ModalitySpec> specs = new ArrayList<>();
        for (String s : config.sensors()) {
            specs.add(new ModalitySpec(s, List.of(s + "_x", s + "_y", s + "_z"), config.samplingRateHz(), "waist"));
        }
        List<Experiment> used = experiments.stream().filter(e -> split.splitOf(e.user()) >= 0).toList();
        long tRead = System.nanoTime();
        List<Stream3[]> streams = Parallel.map(used, e -> new Stream3[] {
            wantAcc ? read(e.acc()) : null,
            wantGyro && e.gyro() != null ? read(e.gyro()) : null}, "hapt-reader");
        long readMillis = Datasets.millisSince(tRead);

        boolean basic = config.classes().equals("basic");
        List<String> classNames = Arrays.asList(ACTIVITY_NAMES).subList(0, basic ? 6 : 12);
        int[] windowsPerSplit = new int[3];
        int[] perExperiment = new int[used.size()];
        int[] lengths = new int[used.size()];
        int lengthMismatches = 0;
        int gyroMissing = 0;
        long samples = 0;
        long unlabelledSamples = 0;
        for (int i = 0; i < used.size(); i++) {
            Stream3[] s = streams.get(i);
            int acc = s[0] != null ? s[0].length() : Integer.MAX_VALUE;
            int gyro = s[1] != null ? s[1].length() : Integer.MAX_VALUE;
            if (s[0] != null && s[1] != null && acc != gyro) {
                lengthMismatches++;
            }
            if (wantGyro && s[1] == null) {
                gyroMissing++;
            }
            lengths[i] = Math.min(acc, gyro) == Integer.MAX_VALUE ? 0 : Math.min(acc, gyro);
            samples += lengths[i];
            for (HaptLabels.Segment seg : labels.of(used.get(i).experiment())) {
                if (seg.to() > (s[0] != null ? s[0].length() : s[1] != null ? s[1].length() : 0)) {
                    throw new DataFormatException(labelsFile, seg.line(), "segment " + (seg.from() + 1) + "-" + seg.to()
                            + " ends after the last sample of experiment " + seg.experiment() + " ("
                            + (s[0] != null ? s[0].length() + " samples in " + used.get(i).acc().getFileName()
                            : s[1].length() + " samples in " + used.get(i).gyro().getFileName()) + ")");
                }
            }
            perExperiment[i] = SlidingWindows.count(lengths[i], config.window(), config.stride());
            windowsPerSplit[split.splitOf(used.get(i).user())] += perExperiment[i];
        }

        WindowDatasetBuilder[] builders = new WindowDatasetBuilder[3];
        int[] windowLengths = new int[specs.size()];
        Arrays.fill(windowLengths, config.window());
        for (int s = 0; s < 3; s++) {
            builders[s] = new WindowDatasetBuilder(specs, windowLengths, windowsPerSplit[s]);
        }
        int[] next = new int[3];
        int[] nonFiniteWindows = new int[3];
        int[] gyroAbsentWindows = new int[3];
        int window = config.window();
        for (int i = 0; i < used.size(); i++) {
            Experiment e = used.get(i);
            int s = split.splitOf(e.user());
            int n = lengths[i];
            int[] ids = new int[n];
            Arrays.fill(ids, WindowBatch.UNLABELLED);
            for (HaptLabels.Segment seg : labels.of(e.experiment())) {
                int cls = seg.activity() - 1;
                if (basic && seg.activity() > 6) {
                    continue;
                }
                Arrays.fill(ids, Math.min(seg.from(), n), Math.min(seg.to(), n), cls);
            }
            for (int id : ids) {
                unlabelledSamples += id < 0 ? 1 : 0;
            }
            Stream3[] st = streams.get(i);
            Stream3[] byModality = new Stream3[specs.size()];
            for (int m = 0; m < specs.size(); m++) {
                byModality[m] = specs.get(m).name().equals("acc") ? st[0] : st[1];
            }
            WindowDatasetBuilder b = builders[s];
            for (int w = 0; w < perExperiment[i]; w++) {
                int k = next[s]++;
                int start = w * config.stride();
                boolean nonFinite = false;
                for (int m = 0; m < specs.size(); m++) {
                    Stream3 x = byModality[m];
                    if (x == null) {
                        b.setAbsent(k, m);
                        gyroAbsentWindows[s]++;
                    } else if (touches(x.bad(), start, start + window)) {
                        b.setAbsent(k, m);
                        nonFinite = true;
                    } else {
                        b.copyWindow(k, m, x.values(), start * 3);
                    }
                }
                nonFiniteWindows[s] += nonFinite ? 1 : 0;
                b.setLabel(k, config.labels().label(ids, start, window));
                b.setSubject(k, e.user());
            }
        }
        WindowDataset[] sets = new WindowDataset[3];
        for (int s = 0; s < 3; s++) {
            sets[s] = builders[s].build(classNames);
        }

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reader", name());
        d.put("path", Datasets.abs(dir).toString());
        d.put("labelsFile", Datasets.abs(labelsFile).toString());
        d.put("experiments", used.size());
        d.put("experimentsFound", experiments.size());
        d.put("samples", samples);
        d.put("unlabelledSamples", unlabelledSamples);
        d.put("modalities", specs.stream().map(ModalitySpec::name).toList());
        d.put("window", config.window());
        d.put("stride", config.stride());
        d.put("samplingRateHz", config.samplingRateHz());
        d.put("labelPolicy", config.labels().toString());
        d.put("classes", config.classes());
        d.put("classNames", classNames);
        d.put("subjects", split.describe());
        d.put("windows", Datasets.perSplit(sets[0].size(), sets[1].size(), sets[2].size()));
        d.put("labelledWindows", Datasets.perSplit(WindowDatasetBuilder.labelled(sets[0]), WindowDatasetBuilder.labelled(sets[1]),
                WindowDatasetBuilder.labelled(sets[2])));
        d.put("experimentsWithoutGyroFile", gyroMissing);
        d.put("gyroAbsentWindows", Datasets.perSplit(gyroAbsentWindows[0], gyroAbsentWindows[1], gyroAbsentWindows[2]));
        d.put("experimentsWithUnequalAccGyroLength", lengthMismatches);
        d.put("windowsWithNonFiniteAbsent", Datasets.perSplit(nonFiniteWindows[0], nonFiniteWindows[1], nonFiniteWindows[2]));
        d.put("readMillis", readMillis);
        d.put("loadMillis", Datasets.millisSince(t0));
        return new DataSplits(sets[0], sets[1], sets[2], d);
    }

    private static boolean touches(int[] sortedBad, int from, int to) {
        if (sortedBad.length == 0) {
            return false;
        }
        int i = Arrays.binarySearch(sortedBad, from);
        int ins = i >= 0 ? i : -i - 1;
        return ins < sortedBad.length && sortedBad[ins] < to;
    }

    /** The experiments in {@code raw}, by experiment number; a plain file wins over its .gz. */
    static List<Experiment> list(Path raw) {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(raw)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                Matcher m = FILE_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    String base = TextFiles.baseName(p);
                    Path old = files.get(base);
                    if (old == null || TextFiles.isGzip(old)) {
                        files.put(base, p);
                    }
                }
            });
        } catch (IOException e) {
            throw TextFiles.failure(raw, e);
        }
        Map<Integer, Path[]> byExp = new TreeMap<>();
        Map<Integer, Integer> userOf = new TreeMap<>();
        for (Map.Entry<String, Path> f : files.entrySet()) {
            Matcher m = FILE_NAME.matcher(f.getValue().getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            int exp = Integer.parseInt(m.group(2));
            int user = Integer.parseInt(m.group(3));
            Integer old = userOf.putIfAbsent(exp, user);
            if (old != null && old != user) {
                throw new DataFormatException(f.getValue() + ": experiment " + exp + " is also filed under user " + old
                        + "; every experiment belongs to one user");
            }
            byExp.computeIfAbsent(exp, k -> new Path[2])[m.group(1).equals("acc") ? 0 : 1] = f.getValue();
        }
        List<Experiment> out = new ArrayList<>();
        for (Map.Entry<Integer, Path[]> e : byExp.entrySet()) {
            Path[] p = e.getValue();
            if (p[0] == null) {
                throw new DataFormatException(p[1] + ": has no accelerometer file acc_exp" + String.format("%02d", e.getKey())
                        + "_user" + String.format("%02d", userOf.get(e.getKey())) + ".txt[.gz] beside it");
            }
            out.add(new Experiment(e.getKey(), userOf.get(e.getKey()), p[0], p[1]));
        }
        return out;
    }

    /** Reads one raw file: three numbers per line, every line. */
    static Stream3 read(Path file) {
        byte[] bytes = TextFiles.readAllBytes(file);
        int lines = ByteLines.countLines(bytes, bytes.length);
        float[] values = new float[lines * 3];
        ByteLines in = new ByteLines(bytes);
        DelimitedDoubles parser = new DelimitedDoubles();
        double[] f = new double[3];
        int n = 0;
        List<Integer> bad = new ArrayList<>();
        while (in.next()) {
            if (in.isBlank()) {
                if (in.position() >= bytes.length) {
                    break; // a trailing blank line
                }
                throw new DataFormatException(file, in.lineNumber(), "empty line inside the data; every line holds one sample (x y z)");
            }
            int k = parser.parse(bytes, in.start(), in.end(), (byte) ' ', f);
            if (k == DelimitedDoubles.BAD_FIELD) {
                throw new DataFormatException(file, in.lineNumber(), "field " + (parser.badField() + 1) + " is not a number: '"
                        + in.text() + "'");
            }
            if (k != 3) {
                throw new DataFormatException(file, in.lineNumber(), "expected 3 numbers (x y z), got " + k + ": '" + in.text() + "'");
            }
            boolean finite = true;
            for (int c = 0; c < 3; c++) {
                values[n * 3 + c] = (float) f[c];
                finite &= Double.isFinite(f[c]) && Float.isFinite((float) f[c]);
            }
            if (!finite) {
                bad.add(n);
            }
            n++;
        }
        if (n == 0) {
            throw new DataFormatException(file + ": holds no samples (empty file)");
        }
        return new Stream3(n == lines ? values : Arrays.copyOf(values, n * 3), n, bad.stream().mapToInt(Integer::intValue).toArray());
    }
}
