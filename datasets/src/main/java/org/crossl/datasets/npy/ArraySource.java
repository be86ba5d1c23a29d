package org.crossl.datasets.npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Named NPY arrays: the entries of an {@code .npz} archive ({@link NpzFile}) or the {@code .npy}
 * files of a folder ({@link NpyFolder}). A key is the name without {@code .npy}.
 */
interface ArraySource extends AutoCloseable {

    /** {@code npz} or {@code folder}, for the description. */
    String layout();

    /** Every key present, sorted, for "not found" messages. */
    List<String> keys();

    boolean contains(String key);

    /** Where the array of {@code key} is (file, and entry), for messages and provenance. */
    String where(String key);

    /**
     * Reads the array of {@code key}.
     *
     * @throws org.crossl.api.data.DataFormatException when it is missing (the message lists the
     *                                                 keys present) or cannot be read
     */
    NpyArray read(String key);

    @Override
    void close();

    /** An {@code .npz} archive when {@code path} is a file, a folder of {@code .npy} files when it is a folder. */
    static ArraySource open(Path path) {
        return Files.isDirectory(path) ? new NpyFolder(path) : NpzFile.open(path);
    }

    /** "keys present: [a, b]" or "it holds no arrays", for messages. */
    static String present(List<String> keys) {
        return keys.isEmpty() ? "it holds no .npy arrays" : "arrays present: " + keys;
    }
}
