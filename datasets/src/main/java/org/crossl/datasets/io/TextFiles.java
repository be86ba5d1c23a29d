package org.crossl.datasets.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
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

    /** An input stream over the file's (decompressed) bytes. */
    public static InputStream openStream(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        if (isGzip(file)) {
            try {
                return new GZIPInputStream(in, BUFFER);
            } catch (IOException e) {
                in.close();
                throw e;
            }
        }
        return in;
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
            throw new DataFormatException("cannot read " + file + ": " + e, e);
        }
    }

    /** Reads the whole (decompressed) text; failures become a {@link DataFormatException} naming it. */
    public static String readString(Path file) {
        return new String(readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Wraps an I/O failure while reading {@code file} into an error naming the file. */
    public static DataFormatException failure(Path file, IOException e) {
        return new DataFormatException("cannot read " + file + ": " + e, e);
    }

    /** As {@link #failure(Path, IOException)}, for an I/O failure thrown from a stream of lines. */
    public static DataFormatException failure(Path file, UncheckedIOException e) {
        return failure(file, e.getCause());
    }
}
