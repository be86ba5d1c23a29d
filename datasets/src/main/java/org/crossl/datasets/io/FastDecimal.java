package org.crossl.datasets.io;

/**
 * Parses a decimal number straight from bytes, without a String, for the common forms
 * ({@code 12}, {@code -0.5}, {@code 1.25e-3}). The result is exactly {@link Double#parseDouble}'s
 * (the fast path only takes numbers whose digits and power of ten are exact in a double, so one
 * rounding gives the correctly rounded value); anything else, including {@code NaN}, {@code inf},
 * quoted or empty fields and numbers with many digits, returns {@link #NOT_SIMPLE} so that the
 * caller can take its careful path.
 */
public final class FastDecimal {

    /** Returned when the text is not a simple decimal; it is never a parse result. */
    public static final double NOT_SIMPLE = Double.NaN;

    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private FastDecimal() {
    }

    /**
     * The number in {@code b[from, to)} (spaces around it allowed), or {@link #NOT_SIMPLE}.
     * Test the result with {@link Double#isNaN}.
     */
    public static double parse(byte[] b, int from, int to) {
        while (from < to && b[from] == ' ') {
            from++;
        }
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\r')) {
            to--;
        }
        if (from >= to) {
            return NOT_SIMPLE;
        }
        int i = from;
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int significant = 0;
        int digits = 0;
        int exp10 = 0;
        while (i < to) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            if (mantissa != 0 || d != 0) {
                significant++;
            }
            if (significant > 18) {
                return NOT_SIMPLE;
            }
            mantissa = mantissa * 10 + d;
            digits++;
            i++;
        }
        if (i < to && b[i] == '.') {
            i++;
            while (i < to) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                if (mantissa != 0 || d != 0) {
                    significant++;
                }
                if (significant > 18) {
                    return NOT_SIMPLE;
                }
                mantissa = mantissa * 10 + d;
                exp10--;
                digits++;
                i++;
            }
        }
        if (digits == 0) {
            return NOT_SIMPLE;
        }
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean expNegative = false;
            if (i < to && (b[i] == '-' || b[i] == '+')) {
                expNegative = b[i] == '-';
                i++;
            }
            int e = 0;
            int expDigits = 0;
            while (i < to) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                e = e * 10 + d;
                expDigits++;
                if (e > 400) {
                    return NOT_SIMPLE;
                }
                i++;
            }
            if (expDigits == 0) {
                return NOT_SIMPLE;
            }
            exp10 += expNegative ? -e : e;
        }
        if (i != to) {
            return NOT_SIMPLE;
        }
        double v;
        if (exp10 == 0) {
            v = mantissa; // long -> double is correctly rounded
        } else if (significant > 15 || exp10 < -22 || exp10 > 22) {
            return NOT_SIMPLE;
        } else {
            v = exp10 < 0 ? mantissa / POW10[-exp10] : mantissa * POW10[exp10];
        }
        return negative ? -v : v;
    }
}
