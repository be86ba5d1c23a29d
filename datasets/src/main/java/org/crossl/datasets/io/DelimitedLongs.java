package org.crossl.datasets.io;

/**
 * Hand-written parser for one line of delimiter-separated integers (no regex, no Strings).
 * Values are read as {@code long}, so a reading outside the expected range (a sensor glitch such
 * as {@code 4312046944} in an int16 column) can be reported or handled by the caller rather than
 * failing the parse. Spaces around a field and trailing whitespace are ignored.
 */
public final class DelimitedLongs {

    /** Returned by {@link #parse} when a field is not an integer; see {@link #badField}. */
    public static final int BAD_FIELD = -1;

    private static final long LIMIT = Long.MAX_VALUE / 10 - 10;

    private int badField = -1;

    /**
     * Parses the fields of {@code buf[start, end)} into {@code out}.
     *
     * @return the number of fields found (fields beyond {@code out.length} are counted but not
     *         stored), or {@link #BAD_FIELD} when field {@link #badField()} is not an integer (or
     *         has more than 18 digits)
     */
    public int parse(byte[] buf, int start, int end, byte delimiter, long[] out) {
        // trailing whitespace (other than the delimiter itself) is not a field
        while (end > start && buf[end - 1] != delimiter && (buf[end - 1] == ' ' || buf[end - 1] == '\t' || buf[end - 1] == '\r')) {
            end--;
        }
        int field = 0;
        int i = start;
        while (true) {
            while (i < end && buf[i] == ' ' && delimiter != ' ') {
                i++;
            }
            boolean negative = false;
            if (i < end && (buf[i] == '-' || buf[i] == '+')) {
                negative = buf[i] == '-';
                i++;
            }
            int digits = 0;
            long value = 0;
            while (i < end) {
                int d = buf[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                if (value > LIMIT) {
                    badField = field;
                    return BAD_FIELD;
                }
                value = value * 10 + d;
                digits++;
                i++;
            }
            while (i < end && buf[i] == ' ' && delimiter != ' ') {
                i++;
            }
            if (digits == 0 || (i < end && buf[i] != delimiter)) {
                badField = field;
                return BAD_FIELD;
            }
            if (field < out.length) {
                out[field] = negative ? -value : value;
            }
            field++;
            if (i >= end) {
                return field;
            }
            i++; // the delimiter
        }
    }

    /** 0-based index of the field that failed the last {@link #parse}. */
    public int badField() {
        return badField;
    }
}
