package org.crossl.datasets.npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.crossl.api.data.DataFormatException;
import org.crossl.datasets.Datasets;

/**
 * A folder of {@code .npy} files; key {@code X} is the file {@code X.npy}, key {@code train/X} the
 * file {@code train/X.npy}. Each file is memory-mapped when read ({@link NpyArray#read(Path)}).
 */
final class NpyFolder implements ArraySource {

    /** How deep {@link #keys()} looks for {@code .npy} files (for "not found" messages only). */
    private static final int LIST_DEPTH = 3;

    private final Path dir;

    NpyFolder(Path dir) {
        this.dir = dir;
    }

    @Override
    public String layout() {
        return "folder";
    }

    private Path file(String key) {
        return dir.resolve(key + ".npy");
    }

    @Override
    public List<String> keys() {
        try (Stream<Path> s = Files.walk(dir, LIST_DEPTH)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".npy") && Files.isRegularFile(p))
                    .map(p -> {
                        String rel = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                        return rel.substring(0, rel.length() - 4);
                    })
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    @Override
    public boolean contains(String key) {
        return Files.isRegularFile(file(key));
    }

    @Override
    public String where(String key) {
        return Datasets.abs(file(key)).toString();
    }

    @Override
    public NpyArray read(String key) {
        if (!contains(key)) {
            throw new DataFormatException(where(key) + ": not found: no array '" + key + "' in the folder " + Datasets.abs(dir)
                    + "; " + ArraySource.present(keys()));
        }
        return NpyArray.read(file(key));
    }

    @Override
    public void close() {
    }
}
