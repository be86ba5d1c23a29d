package org.crossl.datasets.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.crossl.api.data.DataFormatException;
import org.crossl.datasets.Datasets;

/**
 * An {@code .npz} archive ({@code np.savez}, {@code np.savez_compressed}): a zip file of
 * {@code NAME.npy} entries, stored or deflated. Arrays are looked up by key, the entry name
 * without {@code .npy} ({@code X} → {@code X.npy}). Each entry is inflated once, into memory.
 * Close the archive when done; arrays already read stay valid.
 */
public final class NpzFile implements ArraySource {

    private final Path file;
    private final String source;
    private final ZipFile zip;

    private NpzFile(Path file, ZipFile zip) {
        this.file = file;
        this.source = Datasets.abs(file).toString();
        this.zip = zip;
    }

    /** Opens the archive; an empty file or a file that is not a zip is an error naming it. */
    public static NpzFile open(Path file) {
        String source = Datasets.abs(file).toString();
        try {
            if (Files.size(file) == 0) {
                throw new DataFormatException(source + ": the file is empty (0 bytes); expected an .npz (zip) archive "
                        + "(np.savez) or a folder of .npy files");
            }
            return new NpzFile(file, new ZipFile(file.toFile()));
        } catch (IOException e) {
            // ZipException for anything that is not a zip: a lone .npy file, a text file, a cut-off download
            String hint = startsWithNpyMagic(file) ? "; it is a single .npy file: give its folder as path and its name as x" : "";
            throw new DataFormatException(source + ": not an .npz (zip) archive (" + e.getMessage() + ")" + hint
                    + "; path must be an .npz file or a folder of .npy files", e);
        }
    }

    private static boolean startsWithNpyMagic(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(NpyArray.MAGIC.length), NpyArray.MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public String layout() {
        return "npz";
    }

    /** The keys of the {@code .npy} entries, sorted. */
    @Override
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            if (!e.isDirectory() && e.getName().endsWith(".npy")) {
                keys.add(e.getName().substring(0, e.getName().length() - 4));
            }
        }
        Collections.sort(keys);
        return keys;
    }

    @Override
    public boolean contains(String key) {
        return zip.getEntry(key + ".npy") != null;
    }

    @Override
    public String where(String key) {
        return source + " (entry " + key + ".npy)";
    }

    /** Reads the array of {@code key}; a missing key is an error listing the keys present. */
    @Override
    public NpyArray read(String key) {
        ZipEntry e = zip.getEntry(key + ".npy");
        if (e == null) {
            throw new DataFormatException(source + ": no array '" + key + "' (entry " + key + ".npy) in the archive; "
                    + ArraySource.present(keys()));
        }
        try (InputStream in = zip.getInputStream(e)) {
            return NpyArray.read(in, where(key));
        } catch (IOException x) {
            throw new DataFormatException("cannot read " + where(key) + ": " + x, x);
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            // read-only: nothing is lost when closing fails
        }
    }
}
