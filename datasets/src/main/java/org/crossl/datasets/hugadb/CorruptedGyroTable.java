package org.crossl.datasets.hugadb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.crossl.api.data.DataFormatException;
import org.crossl.datasets.io.TextFiles;

/**
 * The authors' list of recordings with corrupted gyroscopes, parsed from the Markdown table in
 * HuGaDB's {@code README.md} ("Corrupted gyroscope data").
 *
 * <p>The table is laid out as
 * <pre>
 * |File| Right foot | Left foot | Right shank | Left shank | Right thigh | Left thigh |
 * |----|------------|-----------|------------|-----------|-------------|------------|
 * |HuGaDB_v1_various_03_00.txt | Corrupted | OK | Corrupted | OK | Corrupted | OK |
 * </pre>
 * Note the column order (foot, shank, thigh, each right then left), which differs from the
 * files' column order (right foot, shin, thigh, then left). Columns are therefore mapped by their
 * header text, not their place: "right"/"left" plus "foot", "shank" or "shin", "thigh". A header
 * row starting with {@code File} (re)defines the columns of the rows below it; a row is any line
 * whose first cell names a {@code HuGaDB_…txt} file; a cell containing "corrupt"
 * (case-insensitive) marks that position's gyroscope corrupted, anything else (OK, empty) does not.
 */
public final class CorruptedGyroTable {
    private final Map<String, Set<String>> corrupted;

    private CorruptedGyroTable(Map<String, Set<String>> corrupted) {
        this.corrupted = corrupted;
    }

    /** Reads the table from the README ({@code .md}, or {@code .md.gz}). */
    public static CorruptedGyroTable read(Path readme) {
        return parse(TextFiles.readString(readme), readme);
    }

    /**
     * Parses the table out of README text.
     *
     * @param source named in error messages
     */
    public static CorruptedGyroTable parse(String text, Path source) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        List<String> columns = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = cells(line);
            if (cells.isEmpty()) {
                continue;
            }
            String first = cells.get(0);
            if (first.equalsIgnoreCase("file")) {
                columns = new ArrayList<>();
                for (int c = 1; c < cells.size(); c++) {
                    String header = cells.get(c);
                    String pos = position(header);
                    if (pos == null && !header.isEmpty()) {
                        throw new DataFormatException(source, i + 1, "corrupted-gyroscope table: column '" + header
                                + "' is not a sensor position (expected e.g. 'Right foot', 'Left shank', 'Right thigh')");
                    }
                    columns.add(pos);
                }
                continue;
            }
            if (!first.startsWith("HuGaDB_") || !first.contains(".txt")) {
                continue;
            }
            if (columns == null) {
                throw new DataFormatException(source, i + 1, "corrupted-gyroscope table row before its |File| ... header row");
            }
            String file = first.endsWith(".gz") ? first.substring(0, first.length() - 3) : first;
            Set<String> positions = out.computeIfAbsent(file, k -> new TreeSet<>());
            for (int c = 1; c < cells.size() && c - 1 < columns.size(); c++) {
                String pos = columns.get(c - 1);
                if (pos != null && cells.get(c).toLowerCase(Locale.ROOT).contains("corrupt")) {
                    positions.add(pos);
                }
            }
        }
        if (out.isEmpty()) {
            throw new DataFormatException(source + ": no corrupted-gyroscope table found (a Markdown table with a "
                    + "'|File| Right foot | ...' header and one row per HuGaDB_...txt file)");
        }
        Map<String, Set<String>> frozen = new LinkedHashMap<>();
        out.forEach((k, v) -> frozen.put(k, Collections.unmodifiableSet(v)));
        return new CorruptedGyroTable(Collections.unmodifiableMap(frozen));
    }

    /** Maps a header such as "Right shank" to a position code (rs), or null. */
    static String position(String header) {
        String h = header.toLowerCase(Locale.ROOT);
        String side = h.contains("right") ? "r" : h.contains("left") ? "l" : null;
        String part = h.contains("foot") ? "f" : h.contains("shank") || h.contains("shin") ? "s" : h.contains("thigh") ? "t" : null;
        return side == null || part == null ? null : side + part;
    }

    private static List<String> cells(String line) {
        String s = line;
        if (s.startsWith("|")) {
            s = s.substring(1);
        }
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from <= s.length()) {
            int bar = s.indexOf('|', from);
            if (bar < 0) {
                String last = s.substring(from).strip();
                if (!last.isEmpty()) {
                    out.add(last);
                }
                break;
            }
            out.add(s.substring(from, bar).strip());
            from = bar + 1;
        }
        return out;
    }

    /**
     * Position codes (rf, rs, …) whose gyroscope is listed as corrupted in the recording
     * {@code fileName} ({@code HuGaDB_v1_walking_03_00.txt}, with or without {@code .gz}); empty
     * when it is not listed.
     */
    public Set<String> corruptedGyros(String fileName) {
        String f = fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
        return corrupted.getOrDefault(f, Set.of());
    }

    /** Every listed file and its corrupted gyroscope positions. */
    public Map<String, Set<String>> entries() {
        return corrupted;
    }
}
