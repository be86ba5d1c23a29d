package org.crossl.datasets.uea;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crossl.api.data.DataFormatException;
import org.crossl.datasets.io.TextFiles;

/**
 * Reads the UEA/sktime/aeon {@code .ts} format (plain or {@code .gz}).
 *
 * <p>Header: lines starting with {@code #} are comments; {@code @} lines set keys
 * ({@code @problemName}, {@code @univariate}, {@code @dimensions}, {@code @equalLength},
 * {@code @seriesLength}, {@code @classLabel true a b c}); {@code @data} ends the header. Then one
 * case per line: dimensions separated by {@code :}, values by {@code ,}, the class label last when
 * {@code @classLabel true}. Missing values are written {@code ?} or {@code NaN}; they are read as
 * 0 and flagged per case and dimension. With {@code @equalLength false} cases may differ in length
 * (the dimensions of one case must have the same length); otherwise every case has the length of
 * the first one (or {@code @seriesLength}).
 *
 * <p>Not supported (clear errors naming file and line): time-stamped values, regression targets.
 */
public final class TsReader {

    private TsReader() {
    }

    /** Reads a {@code .ts} or {@code .ts.gz} file. */
    public static TsData read(Path file) {
        try (BufferedReader in = TextFiles.openReader(file)) {
            return read(file, in);
        } catch (IOException e) {
            throw TextFiles.failure(file, e);
        } catch (UncheckedIOException e) {
            throw TextFiles.failure(file, e);
        }
    }

    private static TsData read(Path file, BufferedReader in) throws IOException {
        String problem = null;
        Boolean univariate = null;
        int dims = -1;
        int declaredLength = -1;
        boolean classLabel = false;
        boolean equalLength = true;
        List<String> labels = List.of();
        boolean data = false;
        long lineNo = 0;
        String line;
        while (!data && (line = in.readLine()) != null) {
            lineNo++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (!s.startsWith("@")) {
                throw new DataFormatException(file, lineNo, "expected a header line (#comment or @key) before @data, found '" + abbreviate(s) + "'");
            }
            String[] kv = splitKey(s);
            String key = kv[0].toLowerCase(Locale.ROOT);
            String value = kv[1];
            switch (key) {
                case "@problemname" -> problem = value;
                case "@timestamps" -> {
                    if (bool(file, lineNo, key, value)) {
                        throw new DataFormatException(file, lineNo, "time-stamped series (@timeStamps true) are not supported");
                    }
                }
                case "@univariate" -> univariate = bool(file, lineNo, key, value);
                case "@dimension", "@dimensions" -> dims = positiveInt(file, lineNo, key, value);
                case "@equallength" -> equalLength = bool(file, lineNo, key, value);
                case "@serieslength" -> declaredLength = positiveInt(file, lineNo, key, value);
                case "@classlabel" -> {
                    String[] parts = value.isEmpty() ? new String[0] : value.split("\\s+");
                    if (parts.length == 0) {
                        throw new DataFormatException(file, lineNo, "@classLabel needs true or false");
                    }
                    classLabel = bool(file, lineNo, key, parts[0]);
                    if (classLabel && parts.length < 2) {
                        throw new DataFormatException(file, lineNo, "@classLabel true must list the class labels");
                    }
                    List<String> l = new ArrayList<>();
                    for (int i = 1; i < parts.length; i++) {
                        if (l.contains(parts[i])) {
                            throw new DataFormatException(file, lineNo, "class label '" + parts[i] + "' is listed twice");
                        }
                        l.add(parts[i]);
                    }
                    labels = List.copyOf(l);
                }
                case "@targetlabel" -> {
                    if (bool(file, lineNo, key, value.isEmpty() ? "false" : value.split("\\s+")[0])) {
                        throw new DataFormatException(file, lineNo, "regression targets (@targetLabel true) are not supported; classification only");
                    }
                }
                case "@data" -> data = true;
                default -> {
                    // informational keys (@missing, …) and unknown keys are ignored
                }
            }
        }
        if (!data) {
            throw new DataFormatException(file, 0, "no @data line: not a .ts file?");
        }
        if (dims < 0 && Boolean.TRUE.equals(univariate)) {
            dims = 1;
        }
        Map<String, Integer> labelIndex = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            labelIndex.put(labels.get(i), i);
        }

        List<float[]> values = new ArrayList<>();
        List<boolean[]> missing = new ArrayList<>();
        List<Integer> caseLabels = new ArrayList<>();
        List<Long> caseLines = new ArrayList<>();
        List<Integer> caseLengths = new ArrayList<>();
        int length = equalLength ? declaredLength : -1;
        long lengthLine = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            // split on ':' without regex
            List<String> fields = split(line, ':');
            int d = classLabel ? fields.size() - 1 : fields.size();
            if (dims < 0) {
                dims = d;
            }
            if (d != dims || d < 1) {
                throw new DataFormatException(file, lineNo, "expected " + dims + " dimension" + (dims == 1 ? "" : "s")
                        + (classLabel ? " and a class label" : "") + " separated by ':', found " + fields.size() + " field" + (fields.size() == 1 ? "" : "s"));
            }
            int label = -1;
            if (classLabel) {
                String l = fields.get(d).strip();
                Integer idx = labelIndex.get(l);
                if (idx == null) {
                    throw new DataFormatException(file, lineNo, "class label '" + abbreviate(l) + "' is not declared in @classLabel " + labels);
                }
                label = idx;
            }
            List<float[]> series = new ArrayList<>(d);
            boolean[] miss = new boolean[d];
            for (int k = 0; k < d; k++) {
                String dim = fields.get(k);
                if (dim.indexOf('(') >= 0) {
                    throw new DataFormatException(file, lineNo, "time-stamped values '(t,v)' are not supported");
                }
                if (dim.isBlank()) {
                    throw new DataFormatException(file, lineNo, "dimension " + k + " has no values");
                }
                List<String> vs = split(dim, ',');
                float[] x = new float[vs.size()];
                for (int t = 0; t < x.length; t++) {
                    String v = vs.get(t).strip();
                    if (v.equals("?") || v.equalsIgnoreCase("nan")) {
                        miss[k] = true;
                        continue;
                    }
                    float f;
                    try {
                        f = Float.parseFloat(v);
                    } catch (NumberFormatException e) {
                        throw new DataFormatException(file, lineNo, "dimension " + k + ", value " + t + ": '" + abbreviate(v) + "' is not a number");
                    }
                    if (!Float.isFinite(f)) {
                        throw new DataFormatException(file, lineNo, "dimension " + k + ", value " + t + ": '" + abbreviate(v) + "' is not a finite number (write missing values as ?)");
                    }
                    x[t] = f;
                }
                if (length < 0) {
                    length = x.length;
                    lengthLine = lineNo;
                } else if (x.length != length) {
                    throw new DataFormatException(file, lineNo, (equalLength ? "" : "the dimensions of one case must have equal lengths: ")
                            + "dimension " + k + " has " + x.length + " values, expected " + length
                            + (lengthLine > 0 ? " (as " + (equalLength ? "on line " + lengthLine : "dimension 0") + ")" : " (@seriesLength)")
                            + (equalLength ? "; a file of unequal-length series must say @equalLength false" : ""));
                }
                series.add(x);
            }
            float[] flat = new float[d * length];
            for (int k = 0; k < d; k++) {
                System.arraycopy(series.get(k), 0, flat, k * length, length);
            }
            caseLengths.add(length);
            if (!equalLength) {
                length = -1;
            }
            values.add(flat);
            missing.add(miss);
            caseLabels.add(label);
            caseLines.add(lineNo);
        }
        if (values.isEmpty()) {
            throw new DataFormatException(file, lineNo, "no cases after @data");
        }
        int n = values.size();
        int[] l = new int[n];
        long[] ln = new long[n];
        int[] lens = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = caseLabels.get(i);
            ln[i] = caseLines.get(i);
            lens[i] = caseLengths.get(i);
        }
        return new TsData(file, problem, labels, dims, equalLength, lens, values.toArray(new float[0][]), missing.toArray(new boolean[0][]), l, ln);
    }

    private static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int i = s.indexOf(sep, from);
            if (i < 0) {
                out.add(s.substring(from));
                return out;
            }
            out.add(s.substring(from, i));
            from = i + 1;
        }
    }

    private static String[] splitKey(String s) {
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return new String[] {s.substring(0, i), s.substring(i).strip()};
    }

    private static boolean bool(Path file, long line, String key, String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new DataFormatException(file, line, key + " must be true or false, found '" + abbreviate(v) + "'");
    }

    private static int positiveInt(Path file, long line, String key, String v) {
        try {
            int x = Integer.parseInt(v.strip());
            if (x > 0) {
                return x;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new DataFormatException(file, line, key + " must be a positive integer, found '" + abbreviate(v) + "'");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
