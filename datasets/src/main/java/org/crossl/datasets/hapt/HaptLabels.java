package org.crossl.datasets.hapt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crossl.api.data.DataFormatException;
import org.crossl.datasets.io.ByteLines;
import org.crossl.datasets.io.DelimitedLongs;
import org.crossl.datasets.io.TextFiles;

/**
 * The segments of HAPT's {@code labels.txt}: {@code experiment user activity start end} per line.
 *
 * <p>{@code start} and {@code end} count samples of the experiment's raw files from 1 (line 1 is
 * sample 1) and both are inclusive: consecutive segments in the file meet as {@code …1232} /
 * {@code 1233…}, so sample k (1-based) of a file is covered by a segment iff start ≤ k ≤ end.
 */
public final class HaptLabels {

    /** One labelled span, as 0-based half-open sample indices {@code [from, to)}. */
    public record Segment(int experiment, int user, int activity, int from, int to, long line) {
    }

    /** Activity ids run from 1 to this. */
    public static final int MAX_ACTIVITY = 12;

    private final Path file;
    private final Map<Integer, List<Segment>> byExperiment;

    private HaptLabels(Path file, Map<Integer, List<Segment>> byExperiment) {
        this.file = file;
        this.byExperiment = byExperiment;
    }

    public Path file() {
        return file;
    }

    /** Segments of one experiment in sample order (empty when it has none). */
    public List<Segment> of(int experiment) {
        return byExperiment.getOrDefault(experiment, List.of());
    }

    /** Experiments that have segments. */
    public java.util.Set<Integer> experiments() {
        return byExperiment.keySet();
    }

    /**
     * Reads and checks the file: five positive integers per line, activity in 1–12, start ≤ end,
     * one user per experiment, no two segments of an experiment overlapping. Blank lines are skipped.
     */
    public static HaptLabels read(Path file) {
        byte[] bytes = TextFiles.readAllBytes(file);
        ByteLines lines = new ByteLines(bytes);
        DelimitedLongs parser = new DelimitedLongs();
        long[] f = new long[5];
        Map<Integer, List<Segment>> out = new TreeMap<>();
        while (lines.next()) {
            if (lines.isBlank()) {
                continue;
            }
            int n = parser.parse(bytes, lines.start(), lines.end(), (byte) ' ', f);
            if (n == DelimitedLongs.BAD_FIELD) {
                throw new DataFormatException(file, lines.lineNumber(), "field " + (parser.badField() + 1)
                        + " is not an integer; expected 'experiment user activity start end', got '" + lines.text() + "'");
            }
            if (n != 5) {
                throw new DataFormatException(file, lines.lineNumber(), "expected 5 fields (experiment user activity start end), got "
                        + n + ": '" + lines.text() + "'");
            }
            for (int k = 0; k < 5; k++) {
                if (f[k] < 1 || f[k] > Integer.MAX_VALUE) {
                    throw new DataFormatException(file, lines.lineNumber(), "field " + (k + 1) + " must be a positive integer, got " + f[k]);
                }
            }
            if (f[2] > MAX_ACTIVITY) {
                throw new DataFormatException(file, lines.lineNumber(), "unknown activity id " + f[2] + "; HAPT's ids are 1-" + MAX_ACTIVITY);
            }
            if (f[3] > f[4]) {
                throw new DataFormatException(file, lines.lineNumber(), "segment starts at sample " + f[3] + " after its end " + f[4]);
            }
            out.computeIfAbsent((int) f[0], k -> new ArrayList<>())
                    .add(new Segment((int) f[0], (int) f[1], (int) f[2], (int) f[3] - 1, (int) f[4], lines.lineNumber()));
        }
        for (List<Segment> segs : out.values()) {
            segs.sort(Comparator.comparingInt(Segment::from));
            for (int i = 0; i < segs.size(); i++) {
                Segment s = segs.get(i);
                if (s.user() != segs.get(0).user()) {
                    throw new DataFormatException(file, s.line(), "experiment " + s.experiment() + " is given user " + s.user()
                            + " here but user " + segs.get(0).user() + " on line " + segs.get(0).line());
                }
                if (i > 0 && s.from() < segs.get(i - 1).to()) {
                    Segment p = segs.get(i - 1);
                    throw new DataFormatException(file, s.line(), "segment " + (s.from() + 1) + "-" + s.to() + " of experiment "
                            + s.experiment() + " overlaps segment " + (p.from() + 1) + "-" + p.to() + " on line " + p.line());
                }
            }
        }
        return new HaptLabels(file, out);
    }
}
