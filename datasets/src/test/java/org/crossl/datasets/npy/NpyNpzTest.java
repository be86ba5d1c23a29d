package org.crossl.datasets.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crossl.datasets.npy.NpyFiles.doubles;
import static org.crossl.datasets.npy.NpyFiles.longs;
import static org.crossl.datasets.npy.NpyFiles.shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.crossl.api.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npz archives (stored and deflated) and folders of .npy files. */
class NpyNpzTest {

    @TempDir
    Path dir;

    @Test
    void storedAndDeflatedArchivesRead() throws Exception {
        for (boolean deflated : new boolean[] {false, true}) {
            Path f = NpyFiles.npz(dir.resolve(deflated ? "c.npz" : "s.npz"), deflated, NpyFiles.entries(
                    "X", NpyFiles.range(2, 3, 4).withVersion(2),
                    "y", longs("<i8", shape(2), 1, 0),
                    "w", doubles(">f8", shape(2, 2), 1, 2, 3, 4).inFortranOrder()));
            try (NpzFile z = NpzFile.open(f)) {
                assertThat(z.keys()).containsExactly("X", "w", "y");
                assertThat(z.contains("X")).isTrue();
                assertThat(z.contains("X.npy")).isFalse();
                NpyArray x = z.read("X");
                assertThat(x.shape()).containsExactly(2, 3, 4);
                assertThat(x.toFloats()[23]).isEqualTo(23f);
                assertThat(x.source()).isEqualTo(f + " (entry X.npy)");
                assertThat(z.read("y").toLongs()).containsExactly(1, 0);
                assertThat(z.read("w").toFloats()).containsExactly(1, 2, 3, 4);
            }
        }
        double[] big = new double[200_000];
        Arrays.setAll(big, i -> Math.sin(i));
        Path f = NpyFiles.npz(dir.resolve("big.npz"), true, NpyFiles.entries("X", doubles("<f4", shape(1000, 200), big)));
        try (NpzFile z = NpzFile.open(f)) {
            float[] v = z.read("X").toFloats();
            assertThat(v[199_999]).isEqualTo((float) Math.sin(199_999));
        }
    }

    @Test
    void missingKeyListsTheKeysPresent() throws Exception {
        Path f = NpyFiles.npz(dir.resolve("d.npz"), false, NpyFiles.entries("x_train", NpyFiles.range(1, 2), "y_train",
                longs("<i8", shape(1), 0)));
        try (NpzFile z = NpzFile.open(f)) {
            assertThatThrownBy(() -> z.read("X")).isInstanceOf(DataFormatException.class)
                    .hasMessage(f + ": no array 'X' (entry X.npy) in the archive; arrays present: [x_train, y_train]");
        }
        Path empty = NpyFiles.npz(dir.resolve("none.npz"), false, NpyFiles.entries());
        try (NpzFile z = NpzFile.open(empty)) {
            assertThatThrownBy(() -> z.read("X")).hasMessageContaining("it holds no .npy arrays");
        }
    }

    @Test
    void emptyFileAndNotAZip() throws Exception {
        Path empty = NpyFiles.write(dir.resolve("e.npz"), new byte[0]);
        assertThatThrownBy(() -> NpzFile.open(empty)).isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(empty + ": the file is empty (0 bytes); expected an .npz (zip) archive");
        Path text = NpyFiles.write(dir.resolve("t.npz"), "just some text, no zip here\n".getBytes());
        assertThatThrownBy(() -> NpzFile.open(text)).isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(text + ": not an .npz (zip) archive (")
                .hasMessageEndingWith("; path must be an .npz file or a folder of .npy files");
        Path npy = NpyFiles.write(dir.resolve("X.npy"), NpyFiles.range(2, 2).bytes());
        assertThatThrownBy(() -> NpzFile.open(npy))
                .hasMessageContaining("it is a single .npy file: give its folder as path and its name as x");
        // a zip cut short loses its central directory
        Path ok = NpyFiles.npz(dir.resolve("ok.npz"), true, NpyFiles.entries("X", NpyFiles.range(4, 4)));
        byte[] b = Files.readAllBytes(ok);
        Path cut = NpyFiles.write(dir.resolve("cut.npz"), Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(() -> NpzFile.open(cut)).hasMessageStartingWith(cut + ": not an .npz (zip) archive");
    }

    @Test
    void badEntriesNameTheArchiveAndTheEntry() throws Exception {
        byte[] full = NpyFiles.range(3, 4).bytes();
        Path f = NpyFiles.npz(dir.resolve("bad.npz"), true, NpyFiles.entries(
                "cut", Arrays.copyOf(full, full.length - 8),
                "obj", NpyFiles.concat(NpyFiles.header(1, NpyFiles.dict("'|O'", false, shape(2))), new byte[16]),
                "empty", new byte[0],
                "junk", "not npy".getBytes()));
        try (NpzFile z = NpzFile.open(f)) {
            assertThatThrownBy(() -> z.read("cut")).isInstanceOf(DataFormatException.class)
                    .hasMessage(f + " (entry cut.npy): truncated data: shape [3, 4] of <f4 needs 48 bytes (4 per element) after the "
                            + "header, found 40");
            assertThatThrownBy(() -> z.read("obj")).hasMessageStartingWith(f + " (entry obj.npy): unsupported dtype '|O'");
            assertThatThrownBy(() -> z.read("empty")).hasMessage(f + " (entry empty.npy): the entry is empty (0 bytes); expected an NPY array");
            assertThatThrownBy(() -> z.read("junk")).hasMessageStartingWith(f + " (entry junk.npy): not an NPY file");
        }
    }

    @Test
    void folderOfNpyFiles() throws Exception {
        NpyFiles.write(dir.resolve("X.npy"), NpyFiles.range(2, 3).bytes());
        NpyFiles.write(dir.resolve("train/X.npy"), NpyFiles.range(1, 3).bytes());
        NpyFiles.write(dir.resolve("notes.txt"), "hi".getBytes());
        try (ArraySource s = ArraySource.open(dir)) {
            assertThat(s.layout()).isEqualTo("folder");
            assertThat(s.keys()).containsExactly("X", "train/X");
            assertThat(s.read("train/X").shape()).containsExactly(1, 3);
            assertThat(s.where("X")).isEqualTo(dir.resolve("X.npy").toString());
            assertThatThrownBy(() -> s.read("y")).isInstanceOf(DataFormatException.class)
                    .hasMessage(dir.resolve("y.npy") + ": not found: no array 'y' in the folder " + dir
                            + "; arrays present: [X, train/X]");
        }
    }
}
