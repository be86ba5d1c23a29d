package org.crossl.datasets.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.spi.ConfigException;
import org.crossl.datasets.TestData;
import org.crossl.datasets.fuzz.FuzzReport.Outcome;
import org.crossl.datasets.fuzz.FuzzReport.Result;
import org.crossl.datasets.hapt.HaptConfig;
import org.crossl.datasets.hapt.HaptProvider;
import org.crossl.datasets.hugadb.HugadbConfig;
import org.crossl.datasets.hugadb.HugadbProvider;
import org.crossl.datasets.npy.NpyConfig;
import org.crossl.datasets.npy.NpyProvider;
import org.crossl.datasets.recordings.RecordingsConfig;
import org.crossl.datasets.recordings.RecordingsProvider;
import org.crossl.datasets.split.SplitConfig;
import org.crossl.datasets.uea.UeaConfig;
import org.crossl.datasets.uea.UeaProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged input for every reader: each case writes a small valid dataset (slices of the real files
 * where the format has them), damages one file in one seeded way and loads it through
 * {@code DatasetProvider.load}, as the CLI does. Every outcome must be a valid dataset or a clear
 * error (the project's error kinds, naming the file); anything else — a raw runtime exception, a
 * hang, a NaN in returned windows, a message that does not say which file — is a defect.
 *
 * <p>The cases are deterministic (fixed seed, each kind a fixed number of times), so a defect found
 * here reproduces; the per-kind summary goes to {@code target/fuzz-summary-readers.md}.
 */
class ReaderFuzzTest {

    static final long SEED = 0x5EEDF022L;
    /** Cases per mutation kind and reader: two draws of offsets, tokens and variants. */
    static final int VARIANTS = 2;
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    static final FuzzReport REPORT = new FuzzReport("dataset readers");

    @TempDir
    static Path tmp;

    @AfterAll
    static void summary() throws IOException {
        REPORT.write(Path.of("target", "fuzz-summary-readers.md"));
    }

    @Test
    void uea() throws Exception {
        fuzz(new UeaTarget());
    }

    @Test
    void hugadb() throws Exception {
        fuzz(new HugadbTarget());
    }

    @Test
    void hapt() throws Exception {
        fuzz(new HaptTarget());
    }

    @Test
    void recordings() throws Exception {
        fuzz(new RecordingsTarget());
    }

    @Test
    void npyFolder() throws Exception {
        fuzz(new NpyTarget(false));
    }

    @Test
    void npz() throws Exception {
        fuzz(new NpyTarget(true));
    }

    // ---------------------------------------------------------------------------------------------
    // the loop and the classifier

    void fuzz(Target t) throws Exception {
        Path seedRoot = Files.createDirectories(tmp.resolve(t.name() + "-seed"));
        writeAll(seedRoot, t.seedFiles());
        Outcome base = run(t, "seed", "unchanged", seedRoot);
        assertThat(base.result()).as("the unmutated seed must load: %s", base.message()).isEqualTo(Result.OK);

        List<Outcome> defects = new ArrayList<>();
        for (String kind : t.kinds()) {
            for (int v = 0; v < t.variants(kind); v++) {
                Random r = new Random(SEED + 1_000_003L * t.name().hashCode() + 7919L * kind.hashCode() + v);
                Path root = Files.createDirectories(tmp.resolve(t.name() + "-" + kind + "-" + v));
                Map<String, byte[]> files = new LinkedHashMap<>(t.seedFiles());
                String what = t.mutate(kind, v, root, files, r);
                Outcome o = run(t, kind, what, root);
                REPORT.add(o);
                if (o.result() == Result.DEFECT) {
                    defects.add(o);
                }
            }
        }
        assertThat(defects).as("defects of %s:%n%s", t.name(),
                defects.stream().map(o -> o.kind() + " [" + o.mutation() + "]: " + o.message()).collect(Collectors.joining("\n"))).isEmpty();
    }

    /** Loads the case under a timeout and classifies what came back. */
    static Outcome run(Target t, String kind, String what, Path root) {
        DataSplits splits;
        try {
            splits = assertTimeoutPreemptively(TIMEOUT, () -> t.load(root), () -> "timed out after " + TIMEOUT);
        } catch (org.opentest4j.AssertionFailedError e) {
            return new Outcome(t.name(), kind, what, Result.DEFECT, "hang: " + e.getMessage());
        } catch (Throwable e) {
            String problem = unclear(e, root);
            String msg = shorten(e, root);
            return new Outcome(t.name(), kind, what, problem == null ? Result.CLEAR_ERROR : Result.DEFECT,
                    problem == null ? msg : problem + ": " + msg + stackTop(e));
        }
        String invalid = invalid(splits);
        return new Outcome(t.name(), kind, what, invalid == null ? Result.OK : Result.DEFECT,
                invalid == null ? "valid: " + splits.train().size() + "/" + splits.validation().size() + "/"
                        + splits.test().size() + " windows" : invalid);
    }

    /** Raw runtime exceptions and ND4J internals that mean a reader missed a check, even when wrapped. */
    static final List<String> INTERNAL = List.of("NullPointerException", "IndexOutOfBounds", "NumberFormatException",
            "ClassCastException", "ArithmeticException", "NegativeArraySize", "BufferUnderflow", "BufferOverflow",
            "org.nd4j", "ND4JIllegalStateException", "IllegalStateException");

    /** Why an exception is not a clear error, or null when it is one. */
    static String unclear(Throwable e, Path root) {
        boolean userKind = e instanceof DataFormatException || e instanceof ConfigException
                || e.getClass() == IllegalArgumentException.class || e instanceof IOException || e instanceof UncheckedIOException;
        if (!userKind) {
            return "raw " + e.getClass().getName();
        }
        String m = String.valueOf(e.getMessage());
        for (String bad : INTERNAL) {
            if (m.contains(bad)) {
                return "message carries an internal error (" + bad + ")";
            }
        }
        // a message that is only a Java exception's toString ("cannot read f: java.io.EOFException") tells the user nothing
        Matcher raw = Pattern.compile("java\\.[a-z.]+\\.[A-Z]\\w*(Exception|Error)").matcher(m);
        if (raw.find()) {
            return "message is a raw " + raw.group();
        }
        // invisible characters (a byte-order mark, the NULs of UTF-16 text) make quoted text look right while it is not
        if (m.chars().anyMatch(ch -> ch == 0xFEFF || ch == 0)) {
            return "message quotes invisible characters (BOM or NUL)";
        }
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof RuntimeException && !(c instanceof DataFormatException) && !(c instanceof IllegalArgumentException)
                    && !(c instanceof UncheckedIOException)) {
                return "wraps a raw " + c.getClass().getName();
            }
        }
        // a config key names where the problem is; everything else must name the file or folder
        if (!(e instanceof ConfigException) && !m.contains(root.toString())) {
            return "message names no file";
        }
        return null;
    }

    /** Why a returned dataset is not valid, or null when it is. */
    static String invalid(DataSplits s) {
        WindowDataset tr = s.train();
        for (WindowDataset d : List.of(s.train(), s.validation(), s.test())) {
            if (!d.modalities().equals(tr.modalities()) || !d.classNames().equals(tr.classNames())) {
                return "splits disagree on modalities or classes";
            }
            int n = d.size();
            if (d.labels().length != n || d.subjects().length != n || d.presence().size(0) != n
                    || d.presence().size(1) != d.modalities().size()) {
                return "inconsistent split sizes";
            }
            for (float p : d.presence().dup().data().asFloat()) {
                if (p != 0f && p != 1f) {
                    return "presence value " + p;
                }
            }
            for (int l : d.labels()) {
                if (l != WindowBatch.UNLABELLED && (l < 0 || l >= d.classNames().size())) {
                    return "label " + l + " outside " + d.classNames().size() + " classes";
                }
            }
            for (int m = 0; m < d.modalities().size(); m++) {
                if (n > 0 && d.length(m) < 1) {
                    return "modality " + m + " has windows of length " + d.length(m);
                }
                for (float v : d.data(m).dup().data().asFloat()) {
                    if (!Float.isFinite(v)) {
                        return "non-finite value " + v + " in modality '" + d.modalities().get(m).name() + "'";
                    }
                }
            }
        }
        return null;
    }

    static String shorten(Throwable e, Path root) {
        String m = e.getClass().getSimpleName() + ": " + e.getMessage();
        return m.replace(root.toString(), "<root>");
    }

    static String stackTop(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        return st.length == 0 ? "" : " at " + st[0] + (st.length > 1 ? " < " + st[1] : "");
    }

    // ---------------------------------------------------------------------------------------------
    // targets

    /** One reader with its valid seed files and the ways to damage them. */
    interface Target {
        String name();

        /** Relative path → content; names ending {@code .gz} hold the plain text and are gzipped on writing. */
        Map<String, byte[]> seedFiles() throws IOException;

        List<String> kinds();

        /** Damages one file of {@code files}, writes the case under {@code root}, returns what it did. */
        String mutate(String kind, int variant, Path root, Map<String, byte[]> files, Random r) throws IOException;

        /** Cases of {@code kind}: more where the kind has several distinct values to try. */
        default int variants(String kind) {
            return VARIANTS;
        }

        DataSplits load(Path root);
    }

    static void writeAll(Path root, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = root.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getKey().endsWith(".gz") ? gzip(f.getValue()) : f.getValue());
        }
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bo)) {
            out.write(b);
        }
        return bo.toByteArray();
    }

    static byte[] gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    /** Text files: the kinds the issue lists, applied to line-oriented numeric text. */
    abstract static class TextTarget implements Target {
        static final List<String> KINDS = List.of("empty file", "truncate", "truncate mid-number", "byte flips",
                "huge number", "NaN/Inf", "empty field", "garbage token", "insert column", "remove column",
                "duplicate header", "remove header", "CRLF", "UTF-8 BOM", "UTF-16", "Latin-1", "invalid UTF-8",
                "directory for file", "corrupt gzip");
        static final String[] HUGE = {"1e308", "-1e309", "99999999999999999999", "1e-400", "-9223372036854775809"};
        static final String[] NON_FINITE = {"NaN", "Inf", "-Infinity", "nan", "inf"};
        static final String[] GARBAGE = {"abc", "1.2.3", "--5", "0x1F", "1e", "+", "\"3\"", "1,5", "∞"};
        static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

        /** The files to damage (relative paths); the first is the most interesting. */
        abstract List<String> mutable();

        /** Field separator of {@code file}'s data lines. */
        abstract char delimiter(String file);

        /** Lines before the data in {@code file} (0: the first line stands for the header). */
        abstract int headerLines(String file, List<String> lines);

        @Override
        public List<String> kinds() {
            return KINDS;
        }

        @Override
        public int variants(String kind) {
            return switch (kind) {
                case "huge number" -> HUGE.length;
                case "NaN/Inf" -> 3;
                default -> VARIANTS;
            };
        }

        @Override
        public String mutate(String kind, int variant, Path root, Map<String, byte[]> files, Random r) throws IOException {
            List<String> candidates = kind.equals("corrupt gzip")
                    ? mutable().stream().filter(f -> f.endsWith(".gz")).toList() : mutable();
            String file = candidates.get(r.nextInt(candidates.size()));
            Path path = root.resolve(file);
            byte[] b = files.get(file);
            String text = new String(b, StandardCharsets.ISO_8859_1); // one char per byte: offsets stay byte offsets
            String what;
            switch (kind) {
                case "empty file", "directory for file", "corrupt gzip" -> {
                    writeAll(root, files);
                    return file + ": " + raw(kind, path, r);
                }
                case "truncate" -> {
                    int at = 1 + r.nextInt(b.length - 1);
                    b = Arrays.copyOf(b, at);
                    what = "cut at byte " + at + " of " + files.get(file).length;
                }
                case "truncate mid-number" -> {
                    Matcher m = token(text, r, 2);
                    int at = m.start() + 1 + r.nextInt(m.end() - m.start() - 1);
                    b = Arrays.copyOf(b, at);
                    what = "cut inside '" + m.group() + "' at byte " + at;
                }
                case "byte flips" -> {
                    int n = 1 + r.nextInt(3);
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        int at = r.nextInt(b.length);
                        byte x = (byte) (1 + r.nextInt(255));
                        sb.append(i == 0 ? "" : ", ").append(at).append(String.format(" ^0x%02x", x & 0xff));
                        b[at] ^= x;
                    }
                    what = "flipped bytes " + sb;
                }
                case "huge number", "NaN/Inf", "empty field", "garbage token" -> {
                    Matcher m = token(text, r, 1);
                    String[] pool = kind.equals("huge number") ? HUGE : kind.equals("NaN/Inf") ? NON_FINITE
                            : kind.equals("garbage token") ? GARBAGE : new String[] {""};
                    String by = pool[variant % pool.length];
                    text = text.substring(0, m.start()) + new String(by.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                            + text.substring(m.end());
                    b = text.getBytes(StandardCharsets.ISO_8859_1);
                    what = "'" + m.group() + "' on line " + lineOf(text, m.start()) + " → '" + by + "'";
                }
                case "insert column", "remove column" -> {
                    List<String> lines = lines(text);
                    int h = headerLines(file, lines);
                    int li = h + r.nextInt(Math.max(1, lines.size() - h));
                    li = Math.min(li, lines.size() - 1);
                    String line = lines.get(li);
                    char d = delimiter(file);
                    List<Integer> cuts = new ArrayList<>();
                    for (int i = 0; i < line.length(); i++) {
                        if (line.charAt(i) == d) {
                            cuts.add(i);
                        }
                    }
                    if (cuts.isEmpty()) {
                        cuts.add(line.length());
                    }
                    int at = cuts.get(r.nextInt(cuts.size()));
                    if (kind.equals("insert column")) {
                        line = line.substring(0, at) + d + "0.5" + line.substring(at);
                    } else {
                        int next = line.indexOf(d, at + 1);
                        line = line.substring(0, at) + (next < 0 ? "" : line.substring(next));
                    }
                    lines.set(li, line);
                    b = String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
                    what = "line " + (li + 1);
                }
                case "duplicate header", "remove header" -> {
                    List<String> lines = lines(text);
                    int li = r.nextInt(Math.max(1, headerLines(file, lines)));
                    String line = lines.get(li);
                    if (kind.equals("duplicate header")) {
                        lines.add(li, line);
                    } else {
                        lines.remove(li);
                    }
                    b = String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
                    what = "line " + (li + 1) + " '" + abbreviate(line) + "'";
                }
                case "CRLF" -> {
                    b = text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    what = "\\r\\n line ends";
                }
                case "UTF-8 BOM" -> {
                    b = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, b);
                    what = "EF BB BF prepended";
                }
                case "UTF-16" -> {
                    b = new String(b, StandardCharsets.UTF_8).getBytes(r.nextBoolean() ? StandardCharsets.UTF_16 : StandardCharsets.UTF_16LE);
                    what = "re-encoded as UTF-16";
                }
                case "Latin-1" -> {
                    List<String> lines = lines(text);
                    int li = r.nextInt(lines.size());
                    String[] words = {"Température °C ", "µs ", "Ström "};
                    String w = words[r.nextInt(words.length)];
                    lines.set(li, w + lines.get(li));
                    b = String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1); // é, °, µ, ö as single bytes
                    what = "'" + w.strip() + "' in Latin-1 at line " + (li + 1);
                }
                case "invalid UTF-8" -> {
                    byte[][] seqs = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0x80}};
                    byte[] s = seqs[r.nextInt(seqs.length)];
                    int at = r.nextInt(b.length);
                    b = concat(Arrays.copyOf(b, at), s, Arrays.copyOfRange(b, at, b.length));
                    what = s.length + " invalid byte(s) at " + at;
                }
                default -> throw new IllegalArgumentException(kind);
            }
            files.put(file, b);
            writeAll(root, files);
            return file + ": " + what;
        }

        /** A number token of at least {@code minLength} characters, drawn at random. */
        static Matcher token(String text, Random r, int minLength) {
            Matcher m = NUMBER.matcher(text);
            List<int[]> spans = new ArrayList<>();
            while (m.find()) {
                if (m.end() - m.start() >= minLength) {
                    spans.add(new int[] {m.start(), m.end()});
                }
            }
            int[] s = spans.get(r.nextInt(spans.size()));
            Matcher one = NUMBER.matcher(text);
            one.region(s[0], s[1]);
            if (!one.lookingAt()) {
                throw new IllegalStateException();
            }
            return one;
        }
    }

    /** Damage to the file on disk rather than to its text. */
    static String raw(String kind, Path path, Random r) throws IOException {
        switch (kind) {
            case "empty file" -> {
                Files.write(path, new byte[0]);
                return "0 bytes";
            }
            case "directory for file" -> {
                Files.delete(path);
                Files.createDirectory(path);
                return "replaced by a directory";
            }
            case "corrupt gzip" -> {
                byte[] gz = Files.readAllBytes(path);
                int how = r.nextInt(3);
                if (how == 0) {
                    int at = 10 + r.nextInt(gz.length - 18);
                    Files.write(path, Arrays.copyOf(gz, at));
                    return "compressed stream cut at " + at + " of " + gz.length;
                } else if (how == 1) {
                    int at = 10 + r.nextInt(gz.length - 18);
                    gz[at] ^= (byte) 0x5A;
                    gz[at + 1] ^= (byte) 0xA5;
                    Files.write(path, gz);
                    return "compressed bytes " + at + "-" + (at + 1) + " flipped";
                } else {
                    gz[gz.length - 6] ^= 0x01; // inside the CRC-32 trailer
                    Files.write(path, gz);
                    return "CRC trailer damaged";
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    static List<String> lines(String text) {
        return new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    }

    static int lineOf(String text, int offset) {
        int n = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The first lines of a real file (plain or .gz), the rest dropped. */
    static String head(Path file, int lines) throws IOException {
        byte[] b = file.toString().endsWith(".gz") ? gunzip(file) : Files.readAllBytes(file);
        return new String(b, StandardCharsets.UTF_8).lines().limit(lines).collect(Collectors.joining("\n", "", "\n"));
    }

    // --- uea: a BasicMotions slice, two training cases per class, one test case per class (.gz)

    static final class UeaTarget extends TextTarget {
        static final String TRAIN = "bm/BasicMotions_TRAIN.ts";
        static final String TEST = "bm/BasicMotions_TEST.ts.gz";

        @Override
        public String name() {
            return "uea";
        }

        @Override
        public Map<String, byte[]> seedFiles() throws IOException {
            Path dir = TestData.requireFolder("uea/BasicMotions").resolve("uea/BasicMotions");
            return Map.of(TRAIN, slice(dir.resolve("BasicMotions_TRAIN.ts"), 0, 1, 10, 11, 20, 21, 30, 31),
                    TEST, slice(dir.resolve("BasicMotions_TEST.ts"), 0, 10, 20, 30));
        }

        /** The header and the cases at {@code keep} (0-based, in file order). */
        static byte[] slice(Path ts, int... keep) throws IOException {
            StringBuilder sb = new StringBuilder();
            boolean data = false;
            int c = 0;
            for (String line : Files.readAllLines(ts)) {
                if (!data) {
                    sb.append(line).append('\n');
                    data = line.strip().equalsIgnoreCase("@data");
                } else if (!line.isBlank()) {
                    int i = c++;
                    if (Arrays.stream(keep).anyMatch(k -> k == i)) {
                        sb.append(line).append('\n');
                    }
                }
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        List<String> mutable() {
            return List.of(TRAIN, TEST);
        }

        @Override
        char delimiter(String file) {
            return ',';
        }

        @Override
        int headerLines(String file, List<String> lines) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().equalsIgnoreCase("@data")) {
                    return i + 1;
                }
            }
            return 0;
        }

        @Override
        public DataSplits load(Path root) {
            UeaConfig c = new UeaConfig("bm", "BasicMotions", List.of(
                    new UeaConfig.Modality("acc", List.of(0, 1, 2), "watch", null),
                    new UeaConfig.Modality("gyro", List.of(3, 4, 5), "watch", null)), 10.0, null, null, null);
            return new UeaProvider().load(c, root, 0);
        }
    }

    // --- hugadb: the first 200 samples of three real recordings of participants 1, 3, 4

    static final class HugadbTarget extends TextTarget {
        static final Map<String, String> FILES = Map.of(
                "h/HuGaDB_v1_walking_01_00.txt.gz", "HuGaDB_v1_walking_01_00.txt.gz",
                "h/HuGaDB_v1_walking_03_00.txt", "HuGaDB_v1_walking_03_00.txt.gz",
                "h/HuGaDB_v1_sitting_04_00.txt", "HuGaDB_v1_sitting_04_00.txt.gz");

        @Override
        public String name() {
            return "hugadb";
        }

        @Override
        public Map<String, byte[]> seedFiles() throws IOException {
            Path dir = TestData.requireFolder("hugadb").resolve("hugadb");
            Map<String, byte[]> m = new LinkedHashMap<>();
            for (Map.Entry<String, String> f : FILES.entrySet()) {
                m.put(f.getKey(), head(dir.resolve(f.getValue()), 4 + 200).getBytes(StandardCharsets.UTF_8));
            }
            return m;
        }

        @Override
        List<String> mutable() {
            return List.copyOf(new java.util.TreeSet<>(FILES.keySet()));
        }

        @Override
        char delimiter(String file) {
            return '\t';
        }

        @Override
        int headerLines(String file, List<String> lines) {
            return 4;
        }

        @Override
        public DataSplits load(Path root) {
            HugadbConfig c = new HugadbConfig("h", null, null, null, null, 64, 32, null, List.of(1), List.of(3), List.of(4),
                    false, null, null);
            return new HugadbProvider().load(c, root, 0);
        }
    }

    // --- hapt: 600 samples of experiments 1, 3, 5 (users 1, 2, 3) and their label segments, clipped

    static final class HaptTarget extends TextTarget {
        static final int SAMPLES = 600;
        static final int[][] EXPERIMENTS = {{1, 1}, {3, 2}, {5, 3}};

        @Override
        public String name() {
            return "hapt";
        }

        @Override
        public Map<String, byte[]> seedFiles() throws IOException {
            Path dir = TestData.requireFolder("hapt/raw").resolve("hapt");
            Map<String, byte[]> m = new LinkedHashMap<>();
            StringBuilder labels = new StringBuilder();
            for (int[] eu : EXPERIMENTS) {
                String stem = String.format("_exp%02d_user%02d.txt", eu[0], eu[1]);
                m.put("hapt/raw/acc" + stem + ".gz", head(realFile(dir, "acc" + stem), SAMPLES).getBytes(StandardCharsets.UTF_8));
                m.put("hapt/raw/gyro" + stem, head(realFile(dir, "gyro" + stem), SAMPLES).getBytes(StandardCharsets.UTF_8));
            }
            for (String line : Files.readAllLines(dir.resolve("labels.txt"))) {
                String[] f = line.trim().split("\\s+");
                int exp = Integer.parseInt(f[0]);
                int start = Integer.parseInt(f[3]);
                if (Arrays.stream(EXPERIMENTS).anyMatch(eu -> eu[0] == exp) && start <= SAMPLES) {
                    labels.append(f[0]).append(' ').append(f[1]).append(' ').append(f[2]).append(' ').append(start).append(' ')
                            .append(Math.min(SAMPLES, Integer.parseInt(f[4]))).append('\n');
                }
            }
            m.put("hapt/labels.txt", labels.toString().getBytes(StandardCharsets.UTF_8));
            return m;
        }

        static Path realFile(Path dir, String name) {
            Path p = dir.resolve("raw").resolve(name);
            return Files.exists(p) ? p : dir.resolve("raw").resolve(name + ".gz");
        }

        @Override
        List<String> mutable() {
            return List.of("hapt/labels.txt", "hapt/raw/acc_exp01_user01.txt.gz", "hapt/raw/gyro_exp03_user02.txt",
                    "hapt/raw/acc_exp05_user03.txt.gz");
        }

        @Override
        char delimiter(String file) {
            return ' ';
        }

        @Override
        int headerLines(String file, List<String> lines) {
            return 0;
        }

        @Override
        public DataSplits load(Path root) {
            HaptConfig c = new HaptConfig("hapt", null, null, 64, 32, null, null, SplitConfig.explicit(List.of(1), List.of(2), List.of(3)));
            return new HaptProvider().load(c, root, 0);
        }
    }

    // --- recordings: four subjects, acc at a declared 10 Hz with a label column, timestamped gyro

    static final class RecordingsTarget extends TextTarget {
        @Override
        public String name() {
            return "recordings";
        }

        @Override
        public Map<String, byte[]> seedFiles() {
            Map<String, byte[]> m = new LinkedHashMap<>();
            String[] acts = {"walk", "sit", "run"};
            for (int s = 1; s <= 4; s++) {
                StringBuilder acc = new StringBuilder("x,y,z,activity\n");
                for (int i = 0; i < 60; i++) {
                    acc.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%s%n", Math.sin(i * 0.3 + s), 0.01 * i - 0.3,
                            9.81 + 0.1 * Math.cos(i), acts[(i / 20 + s) % 3]));
                }
                StringBuilder gyro = new StringBuilder("t,gx,gy,gz\n");
                for (int i = 0; i < 120; i++) {
                    gyro.append(String.format(java.util.Locale.ROOT, "%d,%.5f,%.5f,%.5f%n", 1_700_000_000_000L + 50L * i,
                            0.2 * Math.sin(i * 0.1), -0.05 * i, 1e-3 * s));
                }
                m.put("rec/" + s + "/a/acc.csv", acc.toString().getBytes(StandardCharsets.UTF_8));
                m.put("rec/" + s + "/a/gyro.csv" + (s == 1 ? ".gz" : ""), gyro.toString().getBytes(StandardCharsets.UTF_8));
            }
            return m;
        }

        @Override
        List<String> mutable() {
            return List.of("rec/1/a/acc.csv", "rec/1/a/gyro.csv.gz", "rec/3/a/gyro.csv", "rec/4/a/acc.csv");
        }

        @Override
        char delimiter(String file) {
            return ',';
        }

        @Override
        int headerLines(String file, List<String> lines) {
            return 1;
        }

        @Override
        public DataSplits load(Path root) {
            RecordingsConfig c = new RecordingsConfig("rec", null, null, List.of(RecordingsConfig.declared("acc", 10),
                    new RecordingsConfig.Modality("gyro", null, null, null, null, "t", "ms")),
                    RecordingsConfig.labelColumn("activity", "acc"), 2.0, 1.0, null, null, null,
                    SplitConfig.explicit(List.of(1, 2), List.of(3), List.of(4)));
            return new RecordingsProvider().load(c, root, 0);
        }
    }

    // --- npy / npz: 12 windows of 6 subjects, written the way numpy writes them

    /**
     * NPY arrays: the damage is to headers, data, dtypes and (for {@code .npz}) the zip container,
     * since text-encoding damage means little in a binary format.
     */
    static final class NpyTarget implements Target {
        static final int N = 12;
        static final int T = 16;
        static final int C = 3;
        static final List<String> KINDS = List.of("empty file", "truncate", "truncate header", "byte flips", "huge number in header",
                "garbage dtype", "NaN/Inf value", "huge value", "huge label or subject", "fractional label", "remove row",
                "insert column", "remove header", "duplicate header", "UTF-8 BOM", "non-ASCII header", "directory for file",
                "corrupt zip");
        final boolean npz;

        NpyTarget(boolean npz) {
            this.npz = npz;
        }

        @Override
        public String name() {
            return npz ? "npz" : "npy-folder";
        }

        @Override
        public List<String> kinds() {
            return npz ? KINDS : KINDS.subList(0, KINDS.size() - 1);
        }

        @Override
        public int variants(String kind) {
            return kind.equals("huge value") ? 4 : VARIANTS;
        }

        static double[] x(int n, int c) {
            double[] v = new double[n * T * c];
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.sin(i * 0.05) * 3 + (i % 7) * 0.25;
            }
            return v;
        }

        static double[] y() {
            double[] v = new double[N];
            Arrays.setAll(v, i -> i % 3 == 2 ? -1 : i % 3);
            return v;
        }

        static double[] subjects() {
            double[] v = new double[N];
            Arrays.setAll(v, i -> i / 2);
            return v;
        }

        /** Array name → NPY bytes, before damage. */
        Map<String, byte[]> arrays() {
            Map<String, byte[]> m = new LinkedHashMap<>();
            m.put("X", npy(npz ? "<f4" : "<f8", new long[] {N, T, C}, x(N, C)));
            m.put("y", npy("<i8", new long[] {N}, y()));
            m.put("subjects", npy("<i4", new long[] {N}, subjects()));
            return m;
        }

        @Override
        public Map<String, byte[]> seedFiles() throws IOException {
            return files(arrays());
        }

        Map<String, byte[]> files(Map<String, byte[]> arrays) throws IOException {
            Map<String, byte[]> m = new LinkedHashMap<>();
            if (npz) {
                m.put("set.npz", zip(arrays));
            } else {
                arrays.forEach((k, v) -> m.put("set/" + k + ".npy", v));
            }
            return m;
        }

        @Override
        public String mutate(String kind, int variant, Path root, Map<String, byte[]> files, Random r) throws IOException {
            Map<String, byte[]> arrays = arrays();
            List<String> names = List.copyOf(arrays.keySet());
            String name = names.get(r.nextInt(names.size()));
            byte[] b = arrays.get(name);
            int headerEnd = headerEnd(b);
            String what;
            switch (kind) {
                case "empty file", "directory for file" -> {
                    writeAll(root, files);
                    Path p = root.resolve(npz ? "set.npz" : "set/" + name + ".npy");
                    return root.relativize(p) + ": " + raw(kind, p, r);
                }
                case "corrupt zip" -> {
                    byte[] z = files.get("set.npz");
                    int how = r.nextInt(3);
                    if (how == 0) {
                        int at = 1 + r.nextInt(z.length - 1);
                        z = Arrays.copyOf(z, at);
                        what = "archive cut at " + at + " of " + files.get("set.npz").length;
                    } else if (how == 1) {
                        int at = r.nextInt(z.length);
                        z[at] ^= (byte) (1 + r.nextInt(255));
                        what = "archive byte " + at + " flipped";
                    } else {
                        z = Arrays.copyOf(z, z.length - 22); // drop the end-of-central-directory record
                        what = "end of central directory removed";
                    }
                    files.put("set.npz", z);
                    writeAll(root, files);
                    return "set.npz: " + what;
                }
                case "truncate" -> {
                    int at = 1 + r.nextInt(b.length - 1);
                    b = Arrays.copyOf(b, at);
                    what = "cut at byte " + at + " of " + arrays.get(name).length;
                }
                case "truncate header" -> {
                    int at = 1 + r.nextInt(headerEnd - 1);
                    b = Arrays.copyOf(b, at);
                    what = "cut at header byte " + at;
                }
                case "byte flips" -> {
                    int at = r.nextBoolean() ? r.nextInt(headerEnd) : r.nextInt(b.length);
                    b[at] ^= (byte) (1 + r.nextInt(255));
                    what = "byte " + at + " flipped" + (at < headerEnd ? " (header)" : "");
                }
                case "huge number in header" -> {
                    String h = new String(b, 0, headerEnd, StandardCharsets.ISO_8859_1);
                    Matcher m = Pattern.compile("\\d+").matcher(h);
                    List<int[]> spans = new ArrayList<>();
                    while (m.find()) {
                        if (h.lastIndexOf("shape", m.start()) >= 0) {
                            spans.add(new int[] {m.start(), m.end()});
                        }
                    }
                    int[] s = spans.get(r.nextInt(spans.size()));
                    String[] pool = {"99999999999999999999", "4294967296", "2147483648", "-1", "0", "1e308"};
                    String by = pool[r.nextInt(pool.length)];
                    b = rewriteHeader(b, headerEnd, h.substring(0, s[0]) + by + h.substring(s[1]));
                    what = "shape dimension " + h.substring(s[0], s[1]) + " → " + by;
                }
                case "garbage dtype" -> {
                    String h = new String(b, 0, headerEnd, StandardCharsets.ISO_8859_1);
                    String[] pool = {"'<c8'", "'|O'", "'<f16'", "'xyz'", "''", "'<U5'", "'>f4'", "'<f2'", "42"};
                    String by = pool[r.nextInt(pool.length)];
                    b = rewriteHeader(b, headerEnd, h.replaceFirst("'descr': '[^']*'", "'descr': " + by.replace("$", "\\$")));
                    what = "descr → " + by;
                }
                case "NaN/Inf value", "huge value" -> {
                    name = "X";
                    double[] v = x(N, C);
                    double[] pool = kind.equals("huge value") ? new double[] {1e308, -1e308, Double.MAX_VALUE, 3.5e38}
                            : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
                    int at = r.nextInt(v.length);
                    v[at] = pool[variant % pool.length];
                    b = npy("<f8", new long[] {N, T, C}, v);
                    what = "x as float64, element " + at + " = " + v[at];
                }
                case "huge label or subject" -> {
                    name = r.nextBoolean() ? "y" : "subjects";
                    double[] v = name.equals("y") ? y() : subjects();
                    int at = r.nextInt(N);
                    boolean asFloat = r.nextBoolean();
                    v[at] = asFloat ? 1e308 : 9.0e18;
                    b = npy(asFloat ? "<f8" : "<i8", new long[] {N}, v);
                    what = "element " + at + " = " + (asFloat ? "1e308 (float64)" : "9e18 (int64)");
                }
                case "fractional label" -> {
                    name = r.nextBoolean() ? "y" : "subjects";
                    double[] v = name.equals("y") ? y() : subjects();
                    int at = r.nextInt(N);
                    v[at] = r.nextBoolean() ? 1.5 : Double.NaN;
                    b = npy("<f8", new long[] {N}, v);
                    what = "element " + at + " = " + v[at];
                }
                case "remove row" -> {
                    double[] v = name.equals("X") ? x(N - 1, C) : name.equals("y") ? Arrays.copyOf(y(), N - 1) : Arrays.copyOf(subjects(), N - 1);
                    b = npy(name.equals("X") ? "<f4" : "<i8", name.equals("X") ? new long[] {N - 1, T, C} : new long[] {N - 1}, v);
                    what = "N = " + (N - 1);
                }
                case "insert column" -> {
                    double[] v = name.equals("X") ? x(N, C + 1) : concatD(name.equals("y") ? y() : subjects(), subjects());
                    b = npy("<f4", name.equals("X") ? new long[] {N, T, C + 1} : new long[] {N, 2}, v);
                    what = name.equals("X") ? "C = " + (C + 1) : "shape [N, 2]";
                }
                case "remove header" -> {
                    b = Arrays.copyOfRange(b, headerEnd, b.length);
                    what = "data without magic and header";
                }
                case "duplicate header" -> {
                    b = concat(Arrays.copyOf(b, headerEnd), b);
                    what = "header written twice";
                }
                case "UTF-8 BOM" -> {
                    b = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, b);
                    what = "EF BB BF prepended";
                }
                case "non-ASCII header" -> {
                    int pad = headerEnd - 3; // the padding spaces before the final newline
                    b[pad] = (byte) 0xE9;
                    b[pad - 1] = (byte) 0xFF;
                    what = "Latin-1/invalid UTF-8 bytes in the header padding";
                }
                default -> throw new IllegalArgumentException(kind);
            }
            arrays.put(name, b);
            files.clear();
            files.putAll(files(arrays));
            writeAll(root, files);
            return (npz ? "set.npz[" + name + "]" : "set/" + name + ".npy") + ": " + what;
        }

        @Override
        public DataSplits load(Path root) {
            return new NpyProvider().load(new NpyConfig(npz ? "set.npz" : "set", null, null, null, null, null, null, null, null, null), root, 0);
        }

        static double[] concatD(double[] a, double[] b) {
            double[] out = new double[a.length + b.length];
            for (int i = 0; i < a.length; i++) {
                out[2 * i] = a[i];
                out[2 * i + 1] = b[i];
            }
            return out;
        }

        /** Offset of the first data byte (after the header's newline). */
        static int headerEnd(byte[] b) {
            int len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            return 10 + len;
        }

        /** The same data under a new header dict, re-padded as numpy pads it. */
        static byte[] rewriteHeader(byte[] b, int headerEnd, String header) {
            String dict = header.substring(10).strip();
            return concat(headerBytes(dict), Arrays.copyOfRange(b, headerEnd, b.length));
        }

        static byte[] headerBytes(String dict) {
            byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
            int padded = (10 + text.length + 1 + 63) / 64 * 64;
            ByteBuffer h = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
            h.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            h.putShort((short) (padded - 10));
            h.put(text);
            while (h.position() < padded - 1) {
                h.put((byte) ' ');
            }
            h.put((byte) '\n');
            return h.array();
        }

        /** A version-1.0, C-order NPY array of dtype {@code descr} ({@code <f4 <f8 <i4 <i8}). */
        static byte[] npy(String descr, long[] shape, double[] values) {
            String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
            String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? ",)" : ")") + ", }";
            int item = Integer.parseInt(descr.substring(2));
            ByteBuffer data = ByteBuffer.allocate(values.length * item).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                switch (descr) {
                    case "<f4" -> data.putFloat((float) v);
                    case "<f8" -> data.putDouble(v);
                    case "<i4" -> data.putInt((int) v);
                    case "<i8" -> data.putLong((long) v);
                    default -> throw new IllegalArgumentException(descr);
                }
            }
            return concat(headerBytes(dict), data.array());
        }

        /** An {@code np.savez_compressed} archive. */
        static byte[] zip(Map<String, byte[]> arrays) throws IOException {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(bo)) {
                for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
                    z.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                    z.write(e.getValue());
                    z.closeEntry();
                }
            }
            return bo.toByteArray();
        }
    }
}
