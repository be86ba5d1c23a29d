package org.crossl.datasets.uea;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.spi.ConfigException;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.datasets.Datasets;
import org.crossl.datasets.io.TextFiles;
import org.crossl.datasets.io.WindowDatasetBuilder;

/**
 * {@code type: uea}: a problem of the UEA/UCR archive in the sktime {@code .ts} format.
 *
 * <p>Each case is one window of the whole series. The TEST file is the test split; a seeded,
 * class-stratified {@code validationFraction} of the TRAIN file's cases is the validation split,
 * the rest is the training split. The archive has no subject ids, so a case's subject is its
 * 0-based index within its file, TEST cases offset by {@link #TEST_SUBJECT_OFFSET}: subjects never
 * repeat across splits, and "split by subject" degenerates to "split by case".
 *
 * <p>Missing values ({@code ?} or {@code NaN}): when any value of a modality is missing in a case,
 * that modality is marked absent (presence 0) in that case and all its values are zeroed.
 */
public final class UeaProvider implements DatasetProvider<UeaConfig> {

    /** Added to the case index of TEST cases to form their subject id. */
    public static final int TEST_SUBJECT_OFFSET = 1_000_000;

    private static final String HOW_TO_GET = "Download the problem (e.g. from timeseriesclassification.com, the UEA "
            + "multivariate archive, in .ts format) and place <problem>_TRAIN.ts and <problem>_TEST.ts (or .ts.gz) there.";

    @Override
    public String name() {
        return "uea";
    }

    @Override
    public Class<UeaConfig> configType() {
        return UeaConfig.class;
    }

    @Override
    public Path source(UeaConfig config, Path dataRoot) {
        return dataRoot.resolve(config.path());
    }

    @Override
    public String description() {
        return "UEA/UCR archive problem in .ts format (plain or .gz); each case is one window; TEST file = test split, "
                + "seeded class-stratified share of TRAIN = validation; no subject ids (subject = case index in its file)";
    }

    @Override
    public DataSplits load(UeaConfig config, Path dataRoot, long seed) {
        long t0 = System.nanoTime();
        Path dir = dataRoot.resolve(config.path());
        String problem = config.problem();
        if (!Files.isDirectory(dir)) {
            throw Datasets.notFound("UEA problem '" + problem + "'", dir, dataRoot, HOW_TO_GET);
        }
        Path trainFile = TextFiles.find(dir, problem + "_TRAIN.ts")
                .orElseThrow(() -> Datasets.notFound("UEA problem '" + problem + "' (TRAIN file)", dir.resolve(problem + "_TRAIN.ts"), dataRoot, HOW_TO_GET));
        Path testFile = TextFiles.find(dir, problem + "_TEST.ts")
                .orElseThrow(() -> Datasets.notFound("UEA problem '" + problem + "' (TEST file)", dir.resolve(problem + "_TEST.ts"), dataRoot, HOW_TO_GET));
        TsData train = TsReader.read(trainFile);
        TsData test = TsReader.read(testFile);
        checkCompatible(train, test);
        int[] testLabels = remapLabels(test, train.classLabels());

        List<UeaConfig.Modality> groups = config.modalities() == null ? perDimension(train.dimensions(), config.samplingRateHz()) : config.modalities();
        for (int i = 0; i < groups.size(); i++) {
            for (int d : groups.get(i).dimensions()) {
                if (d >= train.dimensions()) {
                    throw new ConfigException("modalities[" + i + "].dimensions", "dimension " + d + " does not exist: " + problem
                            + " has " + train.dimensions() + " dimension" + (train.dimensions() == 1 ? "" : "s") + " (0.." + (train.dimensions() - 1) + ")");
                }
            }
        }
        List<ModalitySpec> specs = new ArrayList<>();
        for (UeaConfig.Modality g : groups) {
            List<String> channels = g.dimensions().stream().map(d -> "dim" + d).toList();
            specs.add(new ModalitySpec(g.name(), channels, g.samplingRateHz(), g.device()));
        }

        int[][] trainVal = stratifiedSplit(train.labels(), config.validationFraction(), seed);
        int[] allTest = new int[test.cases()];
        Arrays.setAll(allTest, i -> i);
        List<String> classes = train.classLabels();
        int[] absent = new int[3];
        int t = targetLength(config, train, test);
        int[] resized = new int[1];
        WindowDataset trainSet = build(train, train.labels(), trainVal[0], 0, groups, specs, classes, absent, 0, t, config.unequalLength(), resized);
        WindowDataset valSet = build(train, train.labels(), trainVal[1], 0, groups, specs, classes, absent, 1, t, config.unequalLength(), resized);
        WindowDataset testSet = build(test, testLabels, allTest, TEST_SUBJECT_OFFSET, groups, specs, classes, absent, 2, t, config.unequalLength(), resized);

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reader", name());
        d.put("problem", problem);
        d.put("path", Datasets.abs(dir).toString());
        d.put("files", List.of(Datasets.abs(trainFile).toString(), Datasets.abs(testFile).toString()));
        d.put("dimensions", train.dimensions());
        d.put("seriesLength", t);
        d.put("caseLengths", Map.of("min", Math.min(train.minLength(), test.minLength()), "max", Math.max(train.maxLength(), test.maxLength())));
        d.put("unequalLength", t == train.maxLength() && train.allSameLength() && test.allSameLength() && test.maxLength() == t
                ? "none (all cases have " + t + " values)" : config.unequalLength() + " to " + t + " values");
        d.put("casesResized", resized[0]);
        Map<String, Object> mods = new LinkedHashMap<>();
        for (UeaConfig.Modality g : groups) {
            mods.put(g.name(), g.dimensions());
        }
        d.put("modalities", mods);
        d.put("classNames", classes);
        d.put("subjects", "UEA has no subject ids: subject = 0-based case index within its file (TEST cases + "
                + TEST_SUBJECT_OFFSET + "); validation = a seeded, class-stratified " + config.validationFraction()
                + " of the TRAIN cases");
        d.put("validationFraction", config.validationFraction());
        d.put("seed", seed);
        d.put("windows", Datasets.perSplit(trainSet.size(), valSet.size(), testSet.size()));
        d.put("labelledWindows", Datasets.perSplit(WindowDatasetBuilder.labelled(trainSet), WindowDatasetBuilder.labelled(valSet),
                WindowDatasetBuilder.labelled(testSet)));
        d.put("absentModalitiesFromMissingValues", Datasets.perSplit(absent[0], absent[1], absent[2]));
        d.put("readMillis", Datasets.millisSince(t0));
        return new DataSplits(trainSet, valSet, testSet, d);
    }

    private static List<UeaConfig.Modality> perDimension(int dims, double rate) {
        List<UeaConfig.Modality> out = new ArrayList<>(dims);
        for (int k = 0; k < dims; k++) {
            out.add(new UeaConfig.Modality("dim" + k, List.of(k), "dim" + k, rate));
        }
        return out;
    }

    private static void checkCompatible(TsData train, TsData test) {
        if (train.dimensions() != test.dimensions()) {
            throw new DataFormatException(test.file() + ": has " + test.dimensions() + " dimensions but " + train.file()
                    + " has " + train.dimensions());
        }
        if (train.equalLength() && test.equalLength() && train.maxLength() != test.maxLength()) {
            throw new DataFormatException(test.file() + ": series have " + test.maxLength() + " values but those of " + train.file()
                    + " have " + train.maxLength() + "; files of unequal-length series must say @equalLength false");
        }
        if (train.labelled() != test.labelled()) {
            throw new DataFormatException(test.file() + ": " + (test.labelled() ? "has" : "has no") + " class labels but "
                    + train.file() + (train.labelled() ? " has" : " has none"));
        }
    }

    /** Test labels as indices into the TRAIN file's class list. */
    private static int[] remapLabels(TsData test, List<String> classes) {
        int[] out = new int[test.cases()];
        for (int i = 0; i < out.length; i++) {
            int l = test.labels()[i];
            if (l < 0) {
                out[i] = WindowBatch.UNLABELLED;
                continue;
            }
            String name = test.classLabels().get(l);
            int idx = classes.indexOf(name);
            if (idx < 0) {
                throw new DataFormatException(test.file(), test.lines()[i], "class label '" + name
                        + "' does not occur in the TRAIN file's @classLabel " + classes);
            }
            out[i] = idx;
        }
        return out;
    }

    /**
     * Splits case indices into {train, validation}, per class: of the {@code n_c} cases of class c,
     * {@code round(fraction · n_c)} (at least 1 when fraction &gt; 0 and n_c ≥ 2, and never all of
     * them) go to validation, drawn with {@code seed}. Unlabelled cases form one more stratum. Both
     * lists come back in file order.
     */
    static int[][] stratifiedSplit(int[] labels, double fraction, long seed) {
        Map<Integer, List<Integer>> byClass = new java.util.TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        Random random = new Random(seed);
        boolean[] validation = new boolean[labels.length];
        for (List<Integer> cases : byClass.values()) {
            int n = cases.size();
            int k = (int) Math.round(fraction * n);
            if (fraction > 0 && n >= 2) {
                k = Math.max(k, 1);
            }
            k = Math.min(k, n - 1);
            List<Integer> shuffled = new ArrayList<>(cases);
            Collections.shuffle(shuffled, random);
            for (int j = 0; j < k; j++) {
                validation[shuffled.get(j)] = true;
            }
        }
        int nv = 0;
        for (boolean v : validation) {
            nv += v ? 1 : 0;
        }
        int[] tr = new int[labels.length - nv];
        int[] va = new int[nv];
        int a = 0;
        int b = 0;
        for (int i = 0; i < labels.length; i++) {
            if (validation[i]) {
                va[b++] = i;
            } else {
                tr[a++] = i;
            }
        }
        return new int[][] {tr, va};
    }

    /** The window length: {@code length} if set, else the longest case (shortest for truncate). */
    static int targetLength(UeaConfig config, TsData train, TsData test) {
        if (config.length() != null) {
            return config.length();
        }
        return config.unequalLength().equals("truncate") ? Math.min(train.minLength(), test.minLength())
                : Math.max(train.maxLength(), test.maxLength());
    }

    /**
     * One dimension of a case, {@code src[from, from + n)}, as {@code t} values written to
     * {@code out[k], out[k + stride], …}: linear interpolation for {@code resample} (the first and
     * last values kept at the ends), else the first {@code min(n, t)} values followed by zeros.
     */
    static void resize(float[] src, int from, int n, int t, String policy, float[] out, int k, int stride) {
        if (n == t) {
            for (int s = 0; s < t; s++) {
                out[k + s * stride] = src[from + s];
            }
        } else if (policy.equals("resample")) {
            for (int s = 0; s < t; s++) {
                double p = t == 1 || n == 1 ? 0 : (double) s * (n - 1) / (t - 1);
                int lo = (int) Math.floor(p);
                int hi = Math.min(lo + 1, n - 1);
                double f = p - lo;
                out[k + s * stride] = (float) (src[from + lo] * (1 - f) + src[from + hi] * f);
            }
        } else {
            for (int s = 0; s < t; s++) {
                out[k + s * stride] = s < n ? src[from + s] : 0f;
            }
        }
    }

    private static WindowDataset build(TsData ts, int[] labels, int[] cases, int subjectOffset, List<UeaConfig.Modality> groups,
                                       List<ModalitySpec> specs, List<String> classes, int[] absentCount, int split,
                                       int t, String policy, int[] resized) {
        int[] lengths = new int[specs.size()];
        Arrays.fill(lengths, t);
        WindowDatasetBuilder b = new WindowDatasetBuilder(specs, lengths, cases.length);
        for (int i = 0; i < cases.length; i++) {
            int c = cases[i];
            float[] src = ts.values()[c];
            int len = ts.lengths()[c];
            resized[0] += len != t ? 1 : 0;
            for (int m = 0; m < groups.size(); m++) {
                List<Integer> dims = groups.get(m).dimensions();
                int nc = dims.size();
                boolean missing = false;
                for (int d : dims) {
                    missing |= ts.missing()[c][d];
                }
                if (missing) {
                    b.setAbsent(i, m);
                    absentCount[split]++;
                    continue;
                }
                float[] out = new float[t * nc];
                for (int k = 0; k < nc; k++) {
                    resize(src, dims.get(k) * len, len, t, policy, out, k, nc);
                }
                b.copyWindow(i, m, out, 0);
            }
            b.setLabel(i, labels[c]);
            b.setSubject(i, subjectOffset + c);
        }
        return b.build(classes);
    }
}
