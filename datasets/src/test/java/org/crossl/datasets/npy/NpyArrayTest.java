package org.crossl.datasets.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crossl.datasets.npy.NpyFiles.doubles;
import static org.crossl.datasets.npy.NpyFiles.longs;
import static org.crossl.datasets.npy.NpyFiles.shape;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.crossl.api.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The NPY parser: every dtype, versions, byte and memory orders, and every malformed input. */
class NpyArrayTest {

    @TempDir
    Path dir;

    private NpyArray roundTrip(NpyFiles.Spec spec) throws IOException {
        Path f = NpyFiles.write(dir.resolve("a.npy"), spec.bytes());
        NpyArray fromFile = NpyArray.read(f);
        // the stream path (npz entries) must agree with the mapped path
        NpyArray fromStream = NpyArray.read(new ByteArrayInputStream(spec.bytes()), "mem");
        assertThat(fromStream.toFloats()).containsExactly(fromFile.toFloats());
        assertThat(fromFile.shape()).containsExactly(spec.shape());
        assertThat(fromFile.descr()).isEqualTo(spec.descr());
        return fromFile;
    }

    @ParameterizedTest
    @ValueSource(strings = {"<f4", ">f4", "<f8", ">f8"})
    void floatDtypesRoundTrip(String descr) throws IOException {
        double[] v = {0, -1.5, 3.25, 1e-3, -7e5, Double.NaN};
        NpyArray a = roundTrip(doubles(descr, shape(2, 3), v));
        assertThat(a.dtype().isFloat()).isTrue();
        float[] f = a.toFloats();
        for (int i = 0; i < v.length; i++) {
            // Float.compare: NaN equals NaN
            assertThat(Float.compare(f[i], (float) v[i])).as("element %d: %s vs %s", i, f[i], v[i]).isZero();
        }
        assertThat(a.size()).isEqualTo(6);
        assertThat(a.rank()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"|i1", "<i1", "<i2", ">i2", "<i4", ">i4", "<i8", ">i8", "|u1", "<u2", ">u2", "<u4", ">u4", "<u8", ">u8", "|b1"})
    void integerDtypesRoundTrip(String descr) throws IOException {
        long[] v = switch (descr.substring(1)) {
            case "i1" -> new long[] {-128, -1, 0, 1, 127};
            case "i2" -> new long[] {Short.MIN_VALUE, -1, 0, 1, Short.MAX_VALUE};
            case "i4" -> new long[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE};
            case "i8" -> new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
            case "u1" -> new long[] {0, 1, 2, 128, 255};
            case "u2" -> new long[] {0, 1, 2, 32768, 65535};
            case "u4" -> new long[] {0, 1, 2, 1L << 31, (1L << 32) - 1};
            case "u8" -> new long[] {0, 1, 2, 1L << 40, Long.MAX_VALUE};
            case "b1" -> new long[] {0, 1, 1, 0, 1};
            default -> throw new IllegalArgumentException(descr);
        };
        NpyArray a = roundTrip(longs(descr, shape(5), v));
        assertThat(a.toLongs()).containsExactly(v);
        float[] f = a.toFloats();
        for (int i = 0; i < v.length; i++) {
            assertThat(f[i]).isEqualTo((float) v[i]);
        }
    }

    @Test
    void uint64BeyondLongIsAFloatButNotALabel() throws IOException {
        NpyArray a = roundTrip(longs("<u8", shape(2), 3, -1L)); // -1L is 2^64 - 1 as uint64
        assertThat(a.toFloats()[1]).isEqualTo(1.8446744e19f);
        assertThatThrownBy(a::toLongs).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(a.source() + ": element [1] is 18446744073709551615, larger than 2^63-1");
    }

    @Test
    void versionsOneTwoAndThreeReadAlike() throws IOException {
        NpyFiles.Spec s = doubles("<f8", shape(3), 1, 2, 3);
        for (int v = 1; v <= 3; v++) {
            NpyArray a = roundTrip(s.withVersion(v));
            assertThat(a.toFloats()).containsExactly(1f, 2f, 3f);
        }
        // a 2.0 header longer than 65535 bytes: what version 2.0 exists for
        String big = "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), " + " ".repeat(70_000) + "}";
        byte[] bytes = NpyFiles.concat(NpyFiles.header(2, big), new byte[] {5, 0, 6, 0});
        assertThat(NpyArray.read(NpyFiles.write(dir.resolve("big.npy"), bytes)).toLongs()).containsExactly(5, 6);
    }

    @Test
    void fortranOrderIsTransposedToCOrder() throws IOException {
        // C-order values 0..23 of a [2, 3, 4] array, stored column-major
        double[] v = new double[24];
        Arrays.setAll(v, i -> i);
        for (String descr : new String[] {"<f4", ">f8", "<i4"}) {
            NpyArray a = roundTrip(doubles(descr, shape(2, 3, 4), v).inFortranOrder());
            assertThat(a.fortranOrder()).isTrue();
            float[] f = a.toFloats();
            for (int i = 0; i < 24; i++) {
                assertThat(f[i]).isEqualTo(i);
            }
            float[] window = new float[12];
            a.readFloats(12, window, 0, 12);
            assertThat(window[0]).isEqualTo(12f);
            assertThat(window[11]).isEqualTo(23f);
            float[] middle = new float[5];
            a.readFloats(7, middle, 0, 5);
            assertThat(middle).containsExactly(7, 8, 9, 10, 11);
            assertThat(a.toLongs()[13]).isEqualTo(13);
        }
        NpyArray m = roundTrip(longs("<i8", shape(2, 3), 0, 1, 2, 10, 11, 12).inFortranOrder());
        assertThat(m.toLongs()).containsExactly(0, 1, 2, 10, 11, 12);
    }

    @Test
    void readsAcrossChunkBoundaries() throws IOException {
        double[] v = new double[37];
        Arrays.setAll(v, i -> i * 0.5);
        for (String descr : new String[] {"<f4", ">f4", "<f8", "|u1"}) {
            NpyFiles.Spec s = doubles(descr, shape(37), v);
            Path f = NpyFiles.write(dir.resolve("c.npy"), s.bytes());
            // 16-byte chunks: 4 float32 values per chunk
            for (NpyArray a : new NpyArray[] {NpyArray.read(f, 4), NpyArray.read(new ByteArrayInputStream(s.bytes()), "m", 4)}) {
                float[] out = new float[37];
                a.readFloats(0, out, 0, 37);
                for (int i = 0; i < 37; i++) {
                    assertThat(out[i]).isEqualTo(descr.equals("|u1") ? (float) (long) v[i] : (float) v[i]);
                }
                float[] part = new float[9];
                a.readFloats(3, part, 0, 9);
                assertThat(part[0]).isEqualTo(out[3]);
                assertThat(part[8]).isEqualTo(out[11]);
            }
        }
    }

    @Test
    void scalarsAndEmptyArrays() throws IOException {
        NpyArray scalar = roundTrip(doubles("<f8", shape(), 2.5));
        assertThat(scalar.rank()).isZero();
        assertThat(scalar.toFloats()).containsExactly(2.5f);
        NpyArray empty = roundTrip(doubles("<f4", shape(0, 3)));
        assertThat(empty.size()).isZero();
        assertThat(empty.toFloats()).isEmpty();
    }

    @Test
    void floatLabelsMustBeWholeNumbers() throws IOException {
        NpyArray ok = roundTrip(doubles("<f8", shape(3), 1, -1, 4));
        assertThat(ok.toInts()).containsExactly(1, -1, 4);
        NpyArray bad = roundTrip(doubles("<f4", shape(2, 2), 1, 2, 3, 2.5));
        assertThatThrownBy(bad::toLongs).isInstanceOf(DataFormatException.class)
                .hasMessage(bad.source() + ": element [1, 1] is 2.5, not an integer (<f4)");
        NpyArray nan = roundTrip(doubles("<f4", shape(1), Double.NaN));
        assertThatThrownBy(nan::toLongs).hasMessageContaining("element [0] is NaN, not an integer");
        NpyArray wide = roundTrip(longs("<i8", shape(1), 1L << 40));
        assertThatThrownBy(wide::toInts).hasMessageContaining(wide.source() + ": element [0] is 1099511627776, outside the 32-bit");
    }

    // ---- malformed files: every message names the file and the problem ----

    private String readError(byte[] bytes) throws IOException {
        Path f = NpyFiles.write(dir.resolve("bad.npy"), bytes);
        String fromFile = null;
        try {
            NpyArray.read(f);
        } catch (DataFormatException e) {
            fromFile = e.getMessage();
        }
        assertThat(fromFile).as("reading %s must fail", f).isNotNull().startsWith(f.toString() + ": ");
        // the stream reader (npz entries) gives the same verdict
        assertThatThrownBy(() -> NpyArray.read(new ByteArrayInputStream(bytes), "X.npz (entry X.npy)"))
                .isInstanceOf(DataFormatException.class).hasMessageStartingWith("X.npz (entry X.npy): ");
        return fromFile;
    }

    @Test
    void wrongMagic() throws IOException {
        assertThat(readError("hello world, not numpy".getBytes()))
                .contains("not an NPY file: it does not start with the magic \\x93NUMPY (first bytes: 68 65 6c 6c 6f 20 77 6f)");
        assertThat(readError(new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0}))
                .contains("not an NPY file").contains("it looks like a zip/.npz archive");
    }

    @Test
    void emptyFile() throws IOException {
        Path f = NpyFiles.write(dir.resolve("empty.npy"), new byte[0]);
        assertThatThrownBy(() -> NpyArray.read(f)).isInstanceOf(DataFormatException.class)
                .hasMessage(f + ": the file is empty (0 bytes); expected an NPY array (np.save)");
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] full = doubles("<f4", shape(2), 1, 2).bytes();
        assertThat(readError(Arrays.copyOf(full, 4))).contains("truncated header: only 4 bytes, not even the NPY magic");
        assertThat(readError(Arrays.copyOf(full, 7))).contains("truncated header: only 7 bytes, the NPY version is missing");
        assertThat(readError(Arrays.copyOf(full, 9))).contains("truncated header: only 9 bytes, the NPY 1.0 preamble needs 10");
        assertThat(readError(Arrays.copyOf(full, 40))).contains("truncated header: it declares 118 bytes but")
                .contains("only 30");
        byte[] v2 = doubles("<f4", shape(2), 1, 2).withVersion(2).bytes();
        assertThat(readError(Arrays.copyOf(v2, 11))).contains("the NPY 2.0 preamble needs 12");
    }

    @Test
    void truncatedOrOverlongData() throws IOException {
        byte[] full = doubles("<f8", shape(2, 3), 1, 2, 3, 4, 5, 6).bytes();
        assertThat(readError(Arrays.copyOf(full, full.length - 5)))
                .contains("truncated data: shape [2, 3] of <f8 needs 48 bytes (8 per element) after the header, found 43");
        assertThat(readError(NpyFiles.concat(full, new byte[3])))
                .contains("data length does not match the header: shape [2, 3] of <f8 needs 48 bytes").contains("found 51 (3 bytes too many)");
    }

    @Test
    void unsupportedDtypes() throws IOException {
        String[][] cases = {
                {"'|O'", "unsupported dtype '|O': Python objects (a pickled array"},
                {"'<U5'", "unsupported dtype '<U5': strings"},
                {"'|S3'", "unsupported dtype '|S3': strings"},
                {"'<c8'", "unsupported dtype '<c8': complex numbers"},
                {"'<f2'", "unsupported dtype '<f2': float16 (save as float32)"},
                {"'<M8[ns]'", "dates or time deltas"},
                {"[('a', '<f4'), ('b', '<i4')]", "unsupported dtype [('a', '<f4'), ('b', '<i4')]: a structured dtype"},
                {"'f4'", "its first character must be a byte order"},
        };
        for (String[] c : cases) {
            byte[] b = NpyFiles.concat(NpyFiles.header(1, NpyFiles.dict(c[0], false, shape(2))), new byte[16]);
            assertThat(readError(b)).contains(c[1]).contains("supported: <f4 <f8");
        }
    }

    @Test
    void malformedHeadersAndVersions() throws IOException {
        byte[] v4 = doubles("<f4", shape(1), 1).bytes();
        v4[6] = 4;
        assertThat(readError(v4)).contains("unsupported NPY format version 4.0; this reader knows 1.0, 2.0 and 3.0");
        assertThat(readError(NpyFiles.header(1, "{'descr': '<f4', 'fortran_order': False}")))
                .contains("malformed NPY header: no 'shape' key in \"{'descr': '<f4', 'fortran_order': False}\"");
        assertThat(readError(NpyFiles.header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3}")))
                .contains("malformed NPY header: expected ',' or ')' at character");
        assertThat(readError(NpyFiles.header(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}")))
                .contains("'fortran_order' must be True or False");
        assertThat(readError(NpyFiles.header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}")))
                .contains("'shape' must be a tuple of non-negative integers");
        // Python 2 long literals are fine
        byte[] py2 = NpyFiles.concat(NpyFiles.header(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (2L,), }"), new byte[4]);
        assertThat(NpyArray.read(NpyFiles.write(dir.resolve("py2.npy"), py2)).shape()).containsExactly(2);
    }

    @Test
    void tooManyElements() throws IOException {
        byte[] b = NpyFiles.header(1, NpyFiles.dict("'<f4'", false, shape(3_000_000_000L)));
        assertThat(readError(b)).contains("shape [3000000000] has 3000000000 elements, more than the 2147483639 one Java array holds");
        byte[] c = NpyFiles.header(1, NpyFiles.dict("'<f4'", false, shape(1L << 40, 1L << 40)));
        assertThat(readError(c)).contains("has more than 2^63 elements");
    }
}
