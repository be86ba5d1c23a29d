package org.crossl.datasets.recordings;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipException;
import org.crossl.api.data.DataFormatException;
import org.crossl.datasets.io.ByteLines;
import org.crossl.datasets.io.FastDecimal;
import org.crossl.datasets.io.TextFiles;

/**
 * Reads one CSV of a recording (plain or {@code .gz}): a header line naming the columns, then one
 * sample per line. Only the configured columns are parsed (timestamp, channels, label); other
 * columns are counted but not read. Lines are parsed from bytes (no String per line; numbers by
 * {@link FastDecimal}, with {@link Double#parseDouble} for the unusual ones). Blank lines are
 * skipped; a UTF-8 byte order mark is ignored; fields may be wrapped in double quotes, but a
 * quoted field must not contain the delimiter.
 *
 * <p>Errors are {@link DataFormatException}s naming the file, the 1-based line and the problem:
 * an empty file, a header without data rows, a configured column missing from the header, a line
 * with the wrong number of fields, text where a number belongs, timestamps that do not increase,
 * a NaN / infinite / empty value under {@code nonFinite: fail}, a label outside {@code classes}
 * under {@code unknownLabels: fail}, and gzip data that ends early.
 */
final class RecordingCsv {

    /** Missing or non-finite values: text that reads as "no finite number". */
    private static final List<String> NON_FINITE_WORDS = List.of("nan", "-nan", "+nan", "na", "inf", "+inf", "-inf", "infinity",
            "+infinity", "-infinity");

    /**
     * What to read from one file.
     *
     * @param file            the file name in the recording folder (for messages)
     * @param timestampColumn column of sample times, or null (declared rate)
     * @param labelColumn     column of per-sample labels, or null
     * @param groups          the channels of each modality read from this file (resolved, non-null)
     * @param modalityNames   the modalities' names, for messages
     * @param delimiter       field separator
     * @param failOnNonFinite {@code nonFinite: fail}
     * @param classIndex      class name → index when {@code classes} is configured, else null
     * @param failOnUnknown   {@code unknownLabels: fail}
     */
    record Spec(String file, String timestampColumn, String labelColumn, List<List<String>> groups, List<String> modalityNames,
                byte delimiter, boolean failOnNonFinite, Map<String, Integer> classIndex, boolean failOnUnknown) {
    }

    /**
     * The samples of one file.
     *
     * @param file          the file read
     * @param n             number of samples
     * @param timestamps    raw timestamps in the column's unit, or null
     * @param values        per group, {@code [n, C]} row-major; non-finite values stored as 0
     * @param nonFinite     per group, sorted sample indices with a non-finite value
     * @param labels        per sample: with {@code classes} the class index, else an index into
     *                      {@code labelNames}; -1 unlabelled. Null without a label column
     * @param labelNames    the distinct labels of this file (without {@code classes})
     * @param unknownLabels samples whose label was not in {@code classes} (made unlabelled)
     */
    record Table(Path file, int n, double[] timestamps, float[][] values, int[][] nonFinite, int[] labels, List<String> labelNames,
                 int unknownLabels) {
    }

    private RecordingCsv() {
    }

    /** The column names of the file's header line (for default channels). */
    static List<String> header(Path file, byte delimiter) {
        byte[] bytes = readHead(file);
        return readHeader(file, bytes, new ByteLines(bytes), delimiter);
    }

    /** The samples of {@code file}: the header gives each column its role, then every non-blank line is one sample. */
    static Table read(Path file, Spec spec) {
        byte[] bytes = readAllBytes(file);
        ByteLines lines = new ByteLines(bytes);
        List<String> names = readHeader(file, bytes, lines, spec.delimiter());
        long headerLine = lines.lineNumber();
        int[] role = columnRoles(file, headerLine, names, spec);
        int capacity = Math.max(0, ByteLines.countLines(bytes, bytes.length) - (int) headerLine);
        Rows rows = new Rows(file, spec, bytes, names, role, headerLine, capacity);
        while (lines.next()) {
            if (!lines.isBlank()) {
                rows.parse(lines.start(), lines.end(), lines.lineNumber());
            }
        }
        return rows.table();
    }

    /** The fields of the first non-blank line; leaves {@code lines} on it. */
    private static List<String> readHeader(Path file, byte[] bytes, ByteLines lines, byte delimiter) {
        int bom = bom(bytes);
        while (lines.next()) {
            if (!lines.isBlank()) {
                return splitHeader(bytes, Math.max(lines.start(), bom), lines.end(), delimiter);
            }
        }
        throw new DataFormatException(file, 1, "empty file: expected a header line naming the columns");
    }

    /** The role of each column: -1 skip, -2 timestamp, -3 label, else (group << 16 | channel). */
    private static int[] columnRoles(Path file, long headerLine, List<String> names, Spec spec) {
        int[] role = new int[names.size()];
        Arrays.fill(role, -1);
        if (spec.timestampColumn() != null) {
            role[column(file, headerLine, names, spec.timestampColumn(), "the timestamp column")] = -2;
        }
        if (spec.labelColumn() != null) {
            role[column(file, headerLine, names, spec.labelColumn(), "the label column")] = -3;
        }
        for (int g = 0; g < spec.groups().size(); g++) {
            List<String> channels = spec.groups().get(g);
            for (int c = 0; c < channels.size(); c++) {
                int idx = column(file, headerLine, names, channels.get(c), "channel " + (c + 1) + " of modality '"
                        + spec.modalityNames().get(g) + "'");
                if (role[idx] != -1) {
                    throw new DataFormatException(file, headerLine, "column '" + channels.get(c) + "' is read twice (as "
                            + describe(role[idx], spec) + " and as channel " + (c + 1) + " of modality '" + spec.modalityNames().get(g) + "')");
                }
                role[idx] = g << 16 | c;
            }
        }
        return role;
    }

    /** The data rows of one file, parsed line by line into the columns of its {@link Table}. */
    private static final class Rows {
        private final Path file;
        private final Spec spec;
        private final byte[] bytes;
        private final List<String> names;
        private final int[] role;
        private final int ncols;
        private final long headerLine;
        private final byte delim;
        private final int groups;
        private final int[] width;

        private final double[] times;
        private final float[][] values;
        private final int[] labels;
        private final int[][] bad;
        private final int[] badCount;
        private final Map<String, Integer> localLabels = new HashMap<>();
        private final List<String> labelNames = new ArrayList<>();
        private int unknown = 0;
        private int prevLabelFrom = -1;
        private int prevLabelTo = -1;
        private int prevLabel = -1;
        private long prevTimeLine = 0;
        private int n = 0;

        Rows(Path file, Spec spec, byte[] bytes, List<String> names, int[] role, long headerLine, int capacity) {
            this.file = file;
            this.spec = spec;
            this.bytes = bytes;
            this.names = names;
            this.role = role;
            this.ncols = names.size();
            this.headerLine = headerLine;
            this.delim = spec.delimiter();
            this.groups = spec.groups().size();
            this.width = new int[groups];
            for (int g = 0; g < groups; g++) {
                width[g] = spec.groups().get(g).size();
            }
            this.times = spec.timestampColumn() != null ? new double[capacity] : null;
            this.values = new float[groups][];
            for (int g = 0; g < groups; g++) {
                values[g] = new float[capacity * width[g]];
            }
            this.labels = spec.labelColumn() != null ? new int[capacity] : null;
            this.bad = new int[groups][];
            this.badCount = new int[groups];
            for (int g = 0; g < groups; g++) {
                bad[g] = new int[4];
            }
        }

        /** The non-blank line {@code bytes[s, e)}, line number {@code line}, as the next sample. */
        void parse(int s, int e, long line) {
            int field = 0;
            int p = s;
            while (true) {
                int q = p;
                while (q < e && bytes[q] != delim) {
                    q++;
                }
                if (field < ncols) {
                    int r = role[field];
                    if (r >= 0) {
                        channel(r, field, p, q, line);
                    } else if (r == -2) {
                        timestamp(field, p, q, line);
                    } else if (r == -3) {
                        label(field, p, q, line);
                    }
                }
                field++;
                if (q >= e) {
                    break;
                }
                p = q + 1;
            }
            if (field != ncols) {
                throw new DataFormatException(file, line, "expected " + ncols + " fields separated by '"
                        + printable(delim) + "' (as in the header on line " + headerLine + "), found " + field);
            }
            n++;
        }

        private void channel(int r, int field, int p, int q, long line) {
            int g = r >>> 16;
            double v = FastDecimal.parse(bytes, p, q);
            if (Double.isNaN(v)) {
                v = careful(file, line, names, field, bytes, p, q);
            }
            float f = (float) v;
            if (Float.isNaN(f) || Float.isInfinite(f)) {
                if (spec.failOnNonFinite()) {
                    throw new DataFormatException(file, line, "column " + (field + 1) + " ('" + names.get(field)
                            + "') holds " + nonFiniteText(bytes, p, q) + ", not a finite number (nonFinite: fail; "
                            + "nonFinite: absent would mark modality '" + spec.modalityNames().get(g) + "' absent there)");
                }
                f = 0f;
                markNonFinite(g);
            }
            values[g][n * width[g] + (r & 0xFFFF)] = f;
        }

        /** Records that the current sample has a non-finite value in group g (once per sample). */
        private void markNonFinite(int g) {
            if (badCount[g] == 0 || bad[g][badCount[g] - 1] != n) {
                if (badCount[g] == bad[g].length) {
                    bad[g] = Arrays.copyOf(bad[g], badCount[g] * 2);
                }
                bad[g][badCount[g]++] = n;
            }
        }

        private void timestamp(int field, int p, int q, long line) {
            double v = FastDecimal.parse(bytes, p, q);
            if (Double.isNaN(v)) {
                v = careful(file, line, names, field, bytes, p, q);
            }
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new DataFormatException(file, line, "timestamp column '" + names.get(field) + "' holds "
                        + nonFiniteText(bytes, p, q) + "; every sample needs a finite time");
            }
            if (n > 0 && !(v > times[n - 1])) {
                throw new DataFormatException(file, line, "timestamp " + text(bytes, p, q) + " (column '"
                        + names.get(field) + "') is not after the previous one, " + number(times[n - 1]) + " on line "
                        + prevTimeLine + "; timestamps must increase");
            }
            times[n] = v;
            prevTimeLine = line;
        }

        private void label(int field, int p, int q, long line) {
            int a = p;
            int z = q;
            while (a < z && (bytes[a] == ' ' || bytes[a] == '\t')) {
                a++;
            }
            while (z > a && (bytes[z - 1] == ' ' || bytes[z - 1] == '\t' || bytes[z - 1] == '\r')) {
                z--;
            }
            if (z - a >= 2 && bytes[a] == '"' && bytes[z - 1] == '"') {
                a++;
                z--;
            }
            int id;
            if (z == a) {
                id = -1;
            } else if (prevLabelFrom >= 0 && Arrays.equals(bytes, a, z, bytes, prevLabelFrom, prevLabelTo)) {
                id = prevLabel;
            } else {
                id = labelId(new String(bytes, a, z - a, StandardCharsets.UTF_8).strip(), field, line);
                prevLabelFrom = a;
                prevLabelTo = z;
                prevLabel = id;
            }
            if (id == -2) {
                unknown++;
                id = -1;
            }
            labels[n] = id;
        }

        /** With {@code classes}, the label's class index (-2 when it is not one of them); else its index among this file's labels. */
        private int labelId(String name, int field, long line) {
            if (spec.classIndex() != null) {
                Integer k = spec.classIndex().get(name);
                if (k == null && spec.failOnUnknown()) {
                    throw new DataFormatException(file, line, "label '" + name + "' (column '"
                            + names.get(field) + "') is not one of the classes " + spec.classIndex().keySet()
                            + " (labels.unknownLabels: unlabelled would make it unlabelled)");
                }
                return k == null ? -2 : k;
            }
            Integer k = localLabels.get(name);
            if (k == null) {
                k = labelNames.size();
                localLabels.put(name, k);
                labelNames.add(name);
            }
            return k;
        }

        Table table() {
            if (n == 0) {
                throw new DataFormatException(file, headerLine, "only a header line, no data rows (the file needs at least one sample)");
            }
            int[][] nonFinite = new int[groups][];
            for (int g = 0; g < groups; g++) {
                nonFinite[g] = Arrays.copyOf(bad[g], badCount[g]);
            }
            return new Table(file, n, times, values, nonFinite, labels, List.copyOf(labelNames), unknown);
        }
    }

    /**
     * The slow path for a numeric field that {@link FastDecimal} did not take: NaN for an empty or
     * non-finite value, the number otherwise.
     *
     * @throws DataFormatException for text that is not a number
     */
    private static double careful(Path file, long line, List<String> names, int field, byte[] b, int from, int to) {
        String t = text(b, from, to);
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1).strip();
        }
        if (t.isEmpty()) {
            return Double.NaN;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (NON_FINITE_WORDS.contains(lower)) {
            return lower.startsWith("-inf") ? Double.NEGATIVE_INFINITY : lower.contains("inf") ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        boolean plain = true;
        for (int i = 0; i < t.length() && plain; i++) {
            char c = t.charAt(i);
            plain = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
        }
        if (plain) {
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        String shown = t.length() > 40 ? t.substring(0, 37) + "..." : t;
        throw new DataFormatException(file, line, "column " + (field + 1) + " ('" + names.get(field) + "') holds '" + shown
                + "', which is not a number");
    }

    private static int column(Path file, long headerLine, List<String> names, String want, String what) {
        int idx = names.indexOf(want);
        if (idx < 0) {
            throw new DataFormatException(file, headerLine, "the header has no column '" + want + "' (" + what + "); its columns are "
                    + names);
        }
        if (names.lastIndexOf(want) != idx) {
            throw new DataFormatException(file, headerLine, "the header names column '" + want + "' twice (columns "
                    + (idx + 1) + " and " + (names.lastIndexOf(want) + 1) + ")");
        }
        return idx;
    }

    private static String describe(int role, Spec spec) {
        if (role == -2) {
            return "the timestamp column";
        }
        if (role == -3) {
            return "the label column";
        }
        return "channel " + ((role & 0xFFFF) + 1) + " of modality '" + spec.modalityNames().get(role >>> 16) + "'";
    }

    /** Header fields, stripped of spaces and surrounding double quotes. */
    static List<String> splitHeader(byte[] b, int from, int to, byte delimiter) {
        List<String> out = new ArrayList<>();
        int p = from;
        while (true) {
            int q = p;
            while (q < to && b[q] != delimiter) {
                q++;
            }
            String f = new String(b, p, q - p, StandardCharsets.UTF_8).strip();
            if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
                f = f.substring(1, f.length() - 1).strip();
            }
            out.add(f);
            if (q >= to) {
                return out;
            }
            p = q + 1;
        }
    }

    private static int bom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
    }

    private static String nonFiniteText(byte[] b, int from, int to) {
        String t = text(b, from, to);
        return t.isEmpty() ? "an empty value" : "'" + t + "'";
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8).strip();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String printable(byte d) {
        return d == '\t' ? "\\t" : String.valueOf((char) d);
    }

    /** The file's first bytes, up to and including the first non-blank line (or all of a short file). */
    private static byte[] readHead(Path file) {
        byte[] buf = new byte[1 << 14];
        int size = 0;
        try (InputStream in = TextFiles.openStream(file)) {
            while (true) {
                if (size == buf.length) {
                    if (size >= 1 << 24) {
                        break; // a 16 MB header line: let the full read report what is wrong
                    }
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int k = in.read(buf, size, buf.length - size);
                if (k < 0) {
                    break;
                }
                size += k;
                boolean text = false; // the current line has a non-blank byte
                for (int i = 0; i < size; i++) {
                    byte c = buf[i];
                    if (c == '\n') {
                        if (text) {
                            return Arrays.copyOf(buf, i + 1);
                        }
                    } else {
                        text |= c != '\r' && c != ' ' && c != '\t';
                    }
                }
            }
        } catch (IOException e) {
            return readAllBytes(file); // reports the failure with its line
        }
        return Arrays.copyOf(buf, size);
    }

    /**
     * All (decompressed) bytes of the file. Gzip data that ends early or is corrupt is an error
     * naming the line where the readable text stops.
     */
    static byte[] readAllBytes(Path file) {
        byte[] buf = new byte[1 << 16];
        int size = 0;
        try (InputStream in = TextFiles.openStream(file)) {
            while (true) {
                if (size == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int k = in.read(buf, size, buf.length - size);
                if (k < 0) {
                    break;
                }
                size += k;
            }
        } catch (EOFException | ZipException e) {
            int line = 1;
            for (int i = 0; i < size; i++) {
                if (buf[i] == '\n') {
                    line++;
                }
            }
            throw new DataFormatException(file + ":" + line + ": the gzip data " + (e instanceof EOFException ? "ends early (truncated file)"
                    : "is corrupt") + " after " + (line - 1) + " complete line" + (line == 2 ? "" : "s") + ": " + e.getMessage()
                    + "; re-create or re-download the file", e);
        } catch (IOException e) {
            throw TextFiles.failure(file, e);
        }
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }
}
