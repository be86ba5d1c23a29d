package org.crossl.datasets.io;

/**
 * Parser for one line of delimiter-separated decimal numbers (no regex, no String per plain
 * number): {@link FastDecimal} for the common forms, {@link Double#parseDouble} for the rest
 * ({@code NaN}, {@code Infinity}, also {@code nan}/{@code inf} in any case), so values are exactly
 * Java's. Java-only forms ({@code 1d}, {@code 0x1p3}) are not numbers here. A whitespace delimiter treats a run of spaces
 * and tabs as one separator; leading and trailing whitespace are ignored.
 */
public final class DelimitedDoubles {

    /** Returned by {@link #parse} when a field is not a number; see {@link #badField}. */
    public static final int BAD_FIELD = -1;

    private int badField = -1;

    /**
     * Parses the fields of {@code buf[start, end)} into {@code out}.
     *
     * @param delimiter the separator; {@code ' '} means any run of spaces and tabs
     * @return the number of fields (fields beyond {@code out.length} are counted, not stored), or
     *         {@link #BAD_FIELD} when field {@link #badField()} is empty or not a number
     */
    public int parse(byte[] buf, int start, int end, byte delimiter, double[] out) {
        boolean whitespace = delimiter == ' ' || delimiter == '\t';
        while (start < end && isSpace(buf[start])) {
            start++;
        }
        while (end > start && (isSpace(buf[end - 1]) || buf[end - 1] == '\r')) {
            end--;
        }
        if (start >= end) {
            return 0;
        }
        int field = 0;
        int i = start;
        while (true) {
            int fieldEnd = i;
            if (whitespace) {
                while (fieldEnd < end && !isSpace(buf[fieldEnd])) {
                    fieldEnd++;
                }
            } else {
                while (fieldEnd < end && buf[fieldEnd] != delimiter) {
                    fieldEnd++;
                }
            }
            int a = i;
            int b = fieldEnd;
            while (a < b && isSpace(buf[a])) {
                a++;
            }
            while (b > a && isSpace(buf[b - 1])) {
                b--;
            }
            double v = parseField(buf, a, b);
            if (v != v && !isNaNText(buf, a, b)) {
                badField = field;
                return BAD_FIELD;
            }
            if (field < out.length) {
                out[field] = v;
            }
            field++;
            if (fieldEnd >= end) {
                return field;
            }
            i = fieldEnd + 1;
            if (whitespace) {
                while (i < end && isSpace(buf[i])) {
                    i++;
                }
            }
        }
    }

    /** 0-based index of the field that failed the last {@link #parse}. */
    public int badField() {
        return badField;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    /** The value of {@code buf[a, b)}, or NaN when it is not a number (see {@link #isNaNText}). */
    static double parseField(byte[] buf, int a, int b) {
        if (a >= b) {
            return Double.NaN;
        }
        double v = FastDecimal.parse(buf, a, b);
        return v == v ? v : slow(buf, a, b);
    }

    private static double slow(byte[] buf, int a, int b) {
        String s = new String(buf, a, b - a, java.nio.charset.StandardCharsets.US_ASCII);
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        // Java also accepts "1d", "0x1p3" and trailing "f": not numbers in a data file
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return Double.NaN;
            }
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** True when {@code buf[a, b)} spells NaN (so a NaN result is a value, not a parse failure). */
    static boolean isNaNText(byte[] buf, int a, int b) {
        int n = b - a;
        if (n < 3 || n > 4) {
            return false;
        }
        String s = new String(buf, a, n, java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        return s.equals("nan") || s.equals("+nan") || s.equals("-nan");
    }
}
