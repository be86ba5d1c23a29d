package org.crossl.datasets.recordings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crossl.api.data.DataFormatException;
import org.crossl.datasets.io.ByteLines;

/**
 * Reads a label segment file: a header naming the columns {@code start}, {@code end} and
 * {@code label} (in any order, any case; other columns are ignored), then one segment per line.
 * Times are numbers in the configured unit; a segment covers {@code [start, end)}. An empty label
 * leaves its span unlabelled; a header without rows is a recording without labels. Segments may
 * come in any order but must not overlap (touching is fine).
 */
final class LabelFile {

    /**
     * One labelled span, in the file's units.
     *
     * @param id   class index (with {@code classes}) or index into {@link Parsed#labelNames()}
     * @param line 1-based line of the segment in the file
     */
    record Segment(double start, double end, int id, long line) {
    }

    /**
     * @param segments      the labelled segments, sorted by start
     * @param labelNames    the file's distinct labels (without {@code classes})
     * @param unknownLabels segments whose label was not in {@code classes} (left unlabelled)
     */
    record Parsed(Path file, List<Segment> segments, List<String> labelNames, int unknownLabels) {
    }

    private LabelFile() {
    }

    static Parsed read(Path file, byte delimiter, Map<String, Integer> classIndex, boolean failOnUnknown) {
        byte[] bytes = RecordingCsv.readAllBytes(file);
        int bom = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        ByteLines lines = new ByteLines(bytes);
        List<String> names = null;
        while (lines.next()) {
            if (!lines.isBlank()) {
                names = RecordingCsv.splitHeader(bytes, Math.max(lines.start(), bom), lines.end(), delimiter);
                break;
            }
        }
        if (names == null) {
            throw new DataFormatException(file, 1, "empty file: expected the header start" + (char) delimiter + "end" + (char) delimiter
                    + "label");
        }
        long headerLine = lines.lineNumber();
        List<String> lower = names.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        int startCol = lower.indexOf("start");
        int endCol = lower.indexOf("end");
        int labelCol = lower.indexOf("label");
        if (startCol < 0 || endCol < 0 || labelCol < 0) {
            throw new DataFormatException(file, headerLine, "the header must name the columns start, end and label; its columns are " + names);
        }
        Map<String, Integer> local = new HashMap<>();
        List<String> labelNames = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        int unknown = 0;
        while (lines.next()) {
            if (lines.isBlank()) {
                continue;
            }
            List<String> f = RecordingCsv.splitHeader(bytes, lines.start(), lines.end(), delimiter);
            long line = lines.lineNumber();
            if (f.size() != names.size()) {
                throw new DataFormatException(file, line, "expected " + names.size() + " fields separated by '"
                        + (delimiter == '\t' ? "\\t" : String.valueOf((char) delimiter)) + "' (as in the header on line " + headerLine
                        + "), found " + f.size());
            }
            double start = time(file, line, "start", f.get(startCol));
            double end = time(file, line, "end", f.get(endCol));
            if (!(end > start)) {
                throw new DataFormatException(file, line, "the segment ends (" + f.get(endCol) + ") before it starts (" + f.get(startCol)
                        + "); end must be after start");
            }
            String label = f.get(labelCol);
            if (label.isEmpty()) {
                continue;
            }
            int id;
            if (classIndex != null) {
                Integer k = classIndex.get(label);
                if (k == null) {
                    if (failOnUnknown) {
                        throw new DataFormatException(file, line, "label '" + label + "' is not one of the classes " + classIndex.keySet()
                                + " (labels.unknownLabels: unlabelled would leave the segment unlabelled)");
                    }
                    unknown++;
                    continue;
                }
                id = k;
            } else {
                Integer k = local.get(label);
                if (k == null) {
                    k = labelNames.size();
                    local.put(label, k);
                    labelNames.add(label);
                }
                id = k;
            }
            segments.add(new Segment(start, end, id, line));
        }
        segments.sort(Comparator.comparingDouble(Segment::start).thenComparingLong(Segment::line));
        Segment reach = null; // the segment reaching furthest so far
        for (Segment s : segments) {
            if (reach != null && s.start() < reach.end()) {
                Segment first = reach.line() < s.line() ? reach : s;
                Segment second = first == reach ? s : reach;
                throw new DataFormatException(file + ": label segments on lines " + first.line() + " and " + second.line() + " overlap: ["
                        + num(first.start()) + ", " + num(first.end()) + ") and [" + num(second.start()) + ", " + num(second.end())
                        + "); segments must not overlap");
            }
            if (reach == null || s.end() > reach.end()) {
                reach = s;
            }
        }
        return new Parsed(file, List.copyOf(segments), List.copyOf(labelNames), unknown);
    }

    private static double time(Path file, long line, String column, String text) {
        double v;
        try {
            v = text.isEmpty() ? Double.NaN : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, "column " + column + " holds '" + text + "', which is not a number");
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new DataFormatException(file, line, "column " + column + " holds " + (text.isEmpty() ? "an empty value" : "'" + text + "'")
                    + "; segment times must be finite numbers");
        }
        return v;
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
