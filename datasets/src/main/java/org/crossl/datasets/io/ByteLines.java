package org.crossl.datasets.io;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over the lines of a text held as bytes, without creating a String per line: the fast
 * path for large numeric files. Lines end at {@code \n}; a trailing {@code \r} is not part of the
 * line. Line numbers count from 1.
 */
public final class ByteLines {
    private final byte[] buf;
    private final int limit;
    private int pos;
    private int start;
    private int end;
    private long lineNumber;

    public ByteLines(byte[] buf) {
        this(buf, buf.length);
    }

    public ByteLines(byte[] buf, int limit) {
        this.buf = buf;
        this.limit = limit;
    }

    /** Moves to the next line; false at the end of the text. */
    public boolean next() {
        if (pos >= limit) {
            return false;
        }
        start = pos;
        int i = pos;
        while (i < limit && buf[i] != '\n') {
            i++;
        }
        pos = i + 1;
        end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
        lineNumber++;
        return true;
    }

    /** Index of the first byte after the current line (where {@link #next()} continues). */
    public int position() {
        return pos;
    }

    /** The underlying bytes. */
    public byte[] bytes() {
        return buf;
    }

    /** Index of the line's first byte in {@link #bytes()}. */
    public int start() {
        return start;
    }

    /** Index one past the line's last byte (line terminators excluded). */
    public int end() {
        return end;
    }

    /** 1-based number of the current line. */
    public long lineNumber() {
        return lineNumber;
    }

    /** True when the line holds only spaces and tabs (or nothing). */
    public boolean isBlank() {
        for (int i = start; i < end; i++) {
            if (buf[i] != ' ' && buf[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** True when the line starts with the byte {@code c}. */
    public boolean startsWith(char c) {
        return end > start && buf[start] == c;
    }

    /** The current line as a String (UTF-8). */
    public String text() {
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    /** Number of lines in {@code buf[0, limit)} (a last line without {@code \n} counts). */
    public static int countLines(byte[] buf, int limit) {
        int n = 0;
        for (int i = 0; i < limit; i++) {
            if (buf[i] == '\n') {
                n++;
            }
        }
        return limit > 0 && buf[limit - 1] != '\n' ? n + 1 : n;
    }
}
