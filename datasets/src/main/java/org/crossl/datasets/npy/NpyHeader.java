package org.crossl.datasets.npy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crossl.api.data.DataFormatException;

/**
 * The header dictionary of an NPY file, e.g. {@code {'descr': '<f4', 'fortran_order': False,
 * 'shape': (120, 128, 6), }}: a Python literal, parsed here by a small recursive-descent parser
 * (strings, integers, True/False/None, tuples, lists, dicts) rather than by regular expressions, so
 * that structured dtypes ({@code 'descr': [('a', '<f4'), …]}) are recognised and rejected by name
 * instead of failing with a confusing parse error.
 *
 * @param descr        the dtype string ({@code <f4}); {@code null} when descr is not a string
 *                     (a structured dtype; see {@code descrLiteral})
 * @param descrLiteral the descr value as it appears in the header, for error messages
 * @param fortranOrder whether the data is stored column-major
 * @param shape        the dimensions; empty for a scalar
 */
record NpyHeader(String descr, String descrLiteral, boolean fortranOrder, long[] shape) {

    private static final int QUOTE_MAX = 200;

    /** Parses the header text of {@code source} (a file, or an archive entry, for messages). */
    static NpyHeader parse(String text, String source) {
        Parser p = new Parser(text, source);
        p.skipSpace();
        Object value = p.value();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected text after the dictionary");
        }
        if (!(value instanceof Map<?, ?> dict)) {
            throw new DataFormatException(source + ": malformed NPY header: expected a dictionary, got " + quote(text));
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw new DataFormatException(source + ": malformed NPY header: no '" + key + "' key in " + quote(text));
            }
        }
        Object descr = dict.get("descr");
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new DataFormatException(source + ": malformed NPY header: 'fortran_order' must be True or False in " + quote(text));
        }
        if (!(dict.get("shape") instanceof List<?> dims)) {
            throw new DataFormatException(source + ": malformed NPY header: 'shape' must be a tuple of integers in " + quote(text));
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0) {
                throw new DataFormatException(source + ": malformed NPY header: 'shape' must be a tuple of non-negative integers in "
                        + quote(text));
            }
            shape[i] = d;
        }
        return new NpyHeader(descr instanceof String s ? s : null, p.descrText, fortran, shape);
    }

    static String quote(String text) {
        String t = text.strip();
        return "\"" + (t.length() > QUOTE_MAX ? t.substring(0, QUOTE_MAX) + "…" : t) + "\"";
    }

    private static final class Parser {
        private final String text;
        private final String source;
        private int pos;
        /** The descr value as written in the header. */
        private String descrText;

        Parser(String text, String source) {
            this.text = text;
            this.source = source;
        }

        DataFormatException error(String what) {
            return new DataFormatException(source + ": malformed NPY header: " + what + " at character " + pos + " of "
                    + quote(text));
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        Object value() {
            skipSpace();
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{' -> {
                    return dict();
                }
                case '(' -> {
                    return sequence(')');
                }
                case '[' -> {
                    return sequence(']');
                }
                case '\'', '"' -> {
                    return string(c);
                }
                default -> {
                    if (c == '-' || c == '+' || Character.isDigit(c)) {
                        return integer();
                    }
                    return word();
                }
            }
        }

        private Map<String, Object> dict() {
            pos++;
            Map<String, Object> m = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek('}')) {
                    pos++;
                    return m;
                }
                Object key = value();
                if (!(key instanceof String k)) {
                    throw error("dictionary keys must be strings");
                }
                skipSpace();
                expect(':');
                skipSpace();
                int start = pos;
                m.put(k, value());
                if (k.equals("descr")) {
                    descrText = text.substring(start, pos);
                }
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else if (!peek('}')) {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> sequence(char close) {
            pos++;
            List<Object> l = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek(close)) {
                    pos++;
                    return l;
                }
                l.add(value());
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else if (!peek(close)) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
        }

        private String string(char q) {
            int start = ++pos;
            StringBuilder b = new StringBuilder();
            while (pos < text.length() && text.charAt(pos) != q) {
                char c = text.charAt(pos++);
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                b.append(c);
            }
            if (pos >= text.length()) {
                pos = start - 1;
                throw error("unterminated string");
            }
            pos++;
            return b.toString();
        }

        private Long integer() {
            int start = pos;
            if (peek('-') || peek('+')) {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            String digits = text.substring(start, pos);
            // Python 2 wrote long integers with an L suffix: (3L, 4L)
            if (peek('L') || peek('l')) {
                pos++;
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                pos = start;
                throw error("'" + digits + "' is not a 64-bit integer");
            }
        }

        private Object word() {
            int start = pos;
            while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                pos++;
            }
            String w = text.substring(start, pos);
            switch (w) {
                case "True" -> {
                    return Boolean.TRUE;
                }
                case "False" -> {
                    return Boolean.FALSE;
                }
                case "None" -> {
                    return null;
                }
                default -> {
                    pos = start;
                    throw error(w.isEmpty() ? "unexpected '" + text.charAt(pos) + "'" : "unexpected '" + w + "'");
                }
            }
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }
    }
}
