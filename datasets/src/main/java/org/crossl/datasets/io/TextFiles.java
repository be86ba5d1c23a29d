package org.crossl.datasets.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.crossl.api.data.DataFormatException;

/**
 * Reads text files that may be gzip-compressed one by one ({@code NAME.txt.gz} beside or instead of
 * {@code NAME.txt}); compression is recognised by the {@code .gz} suffix.
 */
public final class TextFiles {

    private static final int BUFFER = 1 << 16;

    private TextFiles() {
    }

    /** True when the file name ends with {@code .gz}. */
    public static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    /** The file name without a trailing {@code .gz}. */
    public static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n;
    }

    /** {@code dir/name} if it exists, else {@code dir/name.gz} if that exists. */
    public static Optional<Path> find(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return Optional.of(plain);
        }
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? Optional.of(gz) : Optional.empty();
    }

    /**
     * An input stream over the file's (decompressed) text bytes. A UTF-8 byte-order mark (which
     * Windows tools write) is skipped, so that it cannot hide in the first field or column name;
     * UTF-16 text is refused with a {@link DataFormatException} naming the file, because its NUL
     * bytes would otherwise surface as baffling "not a number" errors quoting invisible characters.
     */
    public static InputStream openStream(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            return checkedText(file, isGzip(file) ? new GZIPInputStream(in, BUFFER) : in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Bytes looked at for a byte-order mark and NUL bytes. */
    private static final int HEAD = 4096;

    /**
     * The stream after an encoding check of its first bytes. A read failure while peeking (gzip
     * data that ends inside the first 4 KB) is not thrown here but replayed after the bytes read
     * before it, so that readers still report the line where the readable text stops.
     */
    private static InputStream checkedText(Path file, InputStream s) throws IOException {
        byte[] head = new byte[HEAD];
        int n = 0;
        IOException failed = null;
        try {
            for (int k; n < HEAD && (k = s.read(head, n, HEAD - n)) >= 0; ) {
                n += k;
            }
        } catch (IOException e) {
            failed = e;
        }
        int skip = 0;
        if (n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            skip = 3;
        } else if (n >= 2 && ((head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF || (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE)) {
            throw new DataFormatException(file, 0, "UTF-16 text (byte-order mark " + String.format("%02X %02X", head[0] & 0xFF, head[1] & 0xFF)
                    + "); save the file as UTF-8 or plain ASCII");
        } else {
            for (int i = 0; i < n; i++) {
                if (head[i] == 0) {
                    throw new DataFormatException(file, 0, "NUL byte at offset " + i + ": UTF-16 text without a byte-order mark, or not a "
                            + "text file; save it as UTF-8 or plain ASCII");
                }
            }
        }
        InputStream rest = failed == null ? s : new FailingStream(s, failed);
        return new SequenceInputStream(new ByteArrayInputStream(head, skip, n - skip), rest);
    }

    /** Throws {@code failure} on every read; closes the stream it stands for. */
    private static final class FailingStream extends InputStream {
        private final InputStream closed;
        private final IOException failure;

        FailingStream(InputStream closed, IOException failure) {
            this.closed = closed;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            throw failure;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            throw failure;
        }

        @Override
        public void close() throws IOException {
            closed.close();
        }
    }

    /** A UTF-8 reader over the file's (decompressed) text. */
    public static BufferedReader openReader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(openStream(file), StandardCharsets.UTF_8), BUFFER);
    }

    /** All (decompressed) bytes of the file; failures become a {@link DataFormatException} naming it. */
    public static byte[] readAllBytes(Path file) {
        try (InputStream in = openStream(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    /** Reads the whole (decompressed) text; failures become a {@link DataFormatException} naming it. */
    public static String readString(Path file) {
        return new String(readAllBytes(file), StandardCharsets.UTF_8);
    }

    /**
     * Wraps an I/O failure while reading {@code file} into an error naming the file and saying what
     * is wrong in words: damaged gzip data surfaces from the JDK as a bare {@code EOFException}
     * (no message at all for an empty {@code .gz}) or {@code ZipException}, which tell a user nothing.
     */
    public static DataFormatException failure(Path file, IOException e) {
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage();
        String why;
        if (e instanceof EOFException && isGzip(file)) {
            why = "the gzip data ends early (empty or truncated file)" + detail + "; re-create or re-download the file";
        } else if (e instanceof ZipException && isGzip(file)) {
            why = "the gzip data is corrupt" + detail + "; re-create or re-download the file";
        } else if (e instanceof NoSuchFileException) {
            why = "not found";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else {
            why = "cannot read (" + e.getClass().getSimpleName() + detail + ")";
        }
        return new DataFormatException(file + ": " + why, e);
    }

    /** As {@link #failure(Path, IOException)}, for an I/O failure thrown from a stream of lines. */
    public static DataFormatException failure(Path file, UncheckedIOException e) {
        return failure(file, e.getCause());
    }
}
