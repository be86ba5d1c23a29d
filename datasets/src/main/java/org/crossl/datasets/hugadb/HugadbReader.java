package org.crossl.datasets.hugadb;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.crossl.api.data.DataFormatException;
import org.crossl.datasets.io.ByteLines;
import org.crossl.datasets.io.DelimitedLongs;
import org.crossl.datasets.io.TextFiles;

/**
 * Reads HuGaDB text files (plain or {@code .gz}): header lines starting with {@code #}
 * ({@code #Activity}, {@code #ActivityID}, {@code #Date}), then a line of tab-separated column
 * names, then one sample per line of tab-separated integers. Columns are found by name
 * ({@code acc_rf_x}, {@code gyro_rs_z}, {@code EMG_r}, {@code act}), so a file with its columns in
 * another order still reads correctly. Parsing works on bytes, without a String per line.
 *
 * <p>A reading outside its sensor's range (int16 for the IMUs, uint8 for the EMG) is a
 * transmission glitch (the published files hold a few, e.g. {@code 4312046944}); it is stored as 0
 * and reported in {@link HugadbRecording#invalid()}, so that the caller can mark the modality
 * absent where it matters. A field that is not an integer at all is an error.
 */
public final class HugadbReader {

    /**
     * The columns of one modality and the valid range of their readings.
     *
     * @param columns column names, in channel order
     * @param min     smallest valid reading
     * @param max     largest valid reading
     */
    public record Group(List<String> columns, long min, long max) {
        public Group {
            columns = List.copyOf(columns);
        }

        /** An int16 sensor (accelerometer, gyroscope). */
        public static Group int16(List<String> columns) {
            return new Group(columns, Short.MIN_VALUE, Short.MAX_VALUE);
        }

        /** A uint8 sensor (EMG). */
        public static Group uint8(List<String> columns) {
            return new Group(columns, 0, 255);
        }
    }

    private final List<Group> groups;

    public HugadbReader(List<Group> groups) {
        this.groups = List.copyOf(groups);
    }

    /** Reads one file of participant {@code subject}. */
    public HugadbRecording read(Path file, String activity, int subject) {
        byte[] bytes = TextFiles.readAllBytes(file);
        ByteLines lines = new ByteLines(bytes);
        // header: '#' lines, then the column names
        String header = null;
        while (lines.next()) {
            if (lines.isBlank() || lines.startsWith('#')) {
                continue;
            }
            header = lines.text();
            break;
        }
        if (header == null) {
            throw new DataFormatException(file, lines.lineNumber(), "no column-name line and no samples: not a HuGaDB file?");
        }
        long headerLine = lines.lineNumber();
        List<String> names = new ArrayList<>();
        for (String n : header.split("\t", -1)) {
            names.add(n.strip());
        }
        while (!names.isEmpty() && names.get(names.size() - 1).isEmpty()) {
            names.remove(names.size() - 1);
        }
        int actCol = -1;
        for (int i = 0; i < names.size() && actCol < 0; i++) {
            if (HugadbPositions.ACTIVITY_COLUMNS.contains(names.get(i).toLowerCase(Locale.ROOT))) {
                actCol = i;
            }
        }
        if (actCol < 0) {
            throw new DataFormatException(file, headerLine, "no activity column (named 'act') in the column names " + names);
        }
        int m = groups.size();
        int[][] cols = new int[m][];
        for (int k = 0; k < m; k++) {
            List<String> want = groups.get(k).columns();
            cols[k] = new int[want.size()];
            for (int c = 0; c < want.size(); c++) {
                int idx = names.indexOf(want.get(c));
                if (idx < 0) {
                    throw new DataFormatException(file, headerLine, "column '" + want.get(c) + "' not found in the column names " + names);
                }
                cols[k][c] = idx;
            }
        }
        long[] min = new long[m];
        long[] max = new long[m];
        for (int k = 0; k < m; k++) {
            min[k] = groups.get(k).min();
            max[k] = groups.get(k).max();
        }
        int ncols = names.size();
        int capacity = ByteLines.countLines(bytes, bytes.length);
        float[][] values = new float[m][];
        for (int k = 0; k < m; k++) {
            values[k] = new float[capacity * cols[k].length];
        }
        int[] acts = new int[capacity];
        long[] row = new long[ncols];
        List<List<Integer>> invalid = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            invalid.add(new ArrayList<>(0));
        }
        List<String> notes = new ArrayList<>(0);
        int limit = bytes.length;
        int pos = lines.position();
        long lineNo = lines.lineNumber();
        int n = 0;
        // One pass over the bytes: split fields and build the numbers together (the hot loop of
        // reading HuGaDB). Anything unusual goes to the careful parser for an exact message.
        while (pos < limit) {
            lineNo++;
            int lineStart = pos;
            int field = 0;
            boolean ok = true;
            while (true) {
                boolean negative = false;
                byte ch = buf(bytes, pos, limit);
                if (ch == '-') {
                    negative = true;
                    pos++;
                } else if (ch == '+') {
                    pos++;
                }
                long v = 0;
                int digits = 0;
                while (pos < limit) {
                    int d = bytes[pos] - '0';
                    if (d < 0 || d > 9) {
                        break;
                    }
                    v = v * 10 + d;
                    digits++;
                    pos++;
                }
                ch = buf(bytes, pos, limit);
                while (ch == ' ' || ch == '\r') {
                    ch = buf(bytes, ++pos, limit);
                }
                if (digits == 0 || digits > 18 || (ch != '\t' && ch != '\n')) {
                    ok = false;
                    while (pos < limit && bytes[pos] != '\n') {
                        pos++;
                    }
                    pos++;
                    break;
                }
                if (field < ncols) {
                    row[field] = negative ? -v : v;
                }
                field++;
                pos++;
                if (ch == '\n') {
                    break;
                }
            }
            if (!ok || field != ncols) {
                int lineEnd = Math.min(pos - 1, limit);
                if (isBlank(bytes, lineStart, lineEnd)) {
                    continue;
                }
                fail(file, lineNo, headerLine, names, bytes, lineStart, lineEnd);
            }
            long act = row[actCol];
            if (act < 1 || act > HugadbActivities.MAX_ID) {
                throw new DataFormatException(file, lineNo, "activity id " + act + " is not one of HuGaDB's 1.." + HugadbActivities.MAX_ID);
            }
            acts[n] = (int) act;
            for (int k = 0; k < m; k++) {
                int[] ck = cols[k];
                int c = ck.length;
                float[] v = values[k];
                int off = n * c;
                for (int j = 0; j < c; j++) {
                    long x = row[ck[j]];
                    if (x < min[k] || x > max[k]) {
                        List<Integer> inv = invalid.get(k);
                        if (inv.isEmpty() || inv.get(inv.size() - 1) != n) {
                            inv.add(n);
                        }
                        notes.add(file.getFileName() + ":" + lineNo + " " + names.get(ck[j]) + "=" + x);
                        x = 0;
                    }
                    v[off + j] = x;
                }
            }
            n++;
        }
        int[][] inv = new int[m][];
        for (int k = 0; k < m; k++) {
            inv[k] = invalid.get(k).stream().mapToInt(Integer::intValue).toArray();
        }
        return new HugadbRecording(file, TextFiles.baseName(file), activity, subject, n, values, acts, inv, List.copyOf(notes));
    }

    private static byte buf(byte[] bytes, int pos, int limit) {
        return pos < limit ? bytes[pos] : (byte) '\n';
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Reparses a line that failed the fast path, carefully, and throws an error that says what is wrong with it. */
    private static void fail(Path file, long lineNo, long headerLine, List<String> names, byte[] b, int from, int to) {
        DelimitedLongs parser = new DelimitedLongs();
        int found = parser.parse(b, from, to, (byte) '\t', new long[names.size()]);
        int ncols = names.size();
        if (found == DelimitedLongs.BAD_FIELD) {
            int f = parser.badField();
            throw new DataFormatException(file, lineNo, "column " + (f + 1) + (f < ncols ? " (" + names.get(f) + ")" : "")
                    + " is not an integer: '" + field(b, from, to, f) + "'");
        }
        throw new DataFormatException(file, lineNo, "expected " + ncols + " tab-separated columns (as in the column names on line "
                + headerLine + "), found " + found);
    }

    private static String field(byte[] b, int from, int to, int index) {
        int s = from;
        int f = 0;
        while (f < index) {
            while (s < to && b[s] != '\t') {
                s++;
            }
            s++;
            f++;
        }
        int e = s;
        while (e < to && b[e] != '\t') {
            e++;
        }
        String text = s >= to ? "" : new String(b, s, e - s, StandardCharsets.UTF_8);
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
