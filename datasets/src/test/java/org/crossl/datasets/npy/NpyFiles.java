package org.crossl.datasets.npy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NPY files and NPZ archives the way numpy does (header padded to a multiple of 64 bytes,
 * ending in a newline), so that the tests need no numpy: any version, byte order, dtype and
 * memory order, and raw headers for the malformed cases.
 */
final class NpyFiles {
    private NpyFiles() {
    }

    /** An array to write: dtype descr, shape and C-order values. */
    record Spec(int version, String descr, boolean fortran, long[] shape, long[] longs, double[] doubles) {
        Spec withVersion(int v) {
            return new Spec(v, descr, fortran, shape, longs, doubles);
        }

        Spec inFortranOrder() {
            return new Spec(version, descr, true, shape, longs, doubles);
        }

        byte[] bytes() {
            return npy(this);
        }
    }

    static long[] shape(long... dims) {
        return dims;
    }

    /** A v1.0, C-order array of floating-point (or any) values. */
    static Spec doubles(String descr, long[] shape, double... values) {
        return new Spec(1, descr, false, shape, null, values);
    }

    /** A v1.0, C-order array of integer values (exact for 64-bit types). */
    static Spec longs(String descr, long[] shape, long... values) {
        return new Spec(1, descr, false, shape, values, null);
    }

    /** {@code 0, 1, 2, …} as float32, C order. */
    static Spec range(long... shape) {
        double[] v = new double[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        Arrays.setAll(v, i -> i);
        return doubles("<f4", shape, v);
    }

    /** The dict literal numpy writes, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}. */
    static String dict(String descrLiteral, boolean fortran, long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        s.append(shape.length == 1 ? ",)" : ")");
        return "{'descr': " + descrLiteral + ", 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + s + ", }";
    }

    /** Magic, version, header length and the padded header for {@code dict}. */
    static byte[] header(int version, String dict) {
        int preamble = version == 1 ? 10 : 12;
        byte[] text = dict.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int total = preamble + text.length + 1;
        int padded = (total + 63) / 64 * 64;
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyArray.MAGIC).put((byte) version).put((byte) 0);
        int headerLength = padded - preamble;
        if (version == 1) {
            b.putShort((short) headerLength);
        } else {
            b.putInt(headerLength);
        }
        b.put(text);
        while (b.position() < padded - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    static byte[] npy(Spec s) {
        int n = (int) Arrays.stream(s.shape()).reduce(1, (a, b) -> a * b);
        char order = s.descr().charAt(0);
        String code = s.descr().substring(1);
        int item = Integer.parseInt(code.substring(1));
        ByteBuffer data = ByteBuffer.allocate(n * item).order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < n; c++) {
            int pos = (s.fortran() ? fortranOffset(c, s.shape()) : c) * item;
            double d = s.doubles() != null ? s.doubles()[c] : s.longs()[c];
            long l = s.longs() != null ? s.longs()[c] : (long) d;
            switch (code) {
                case "f4" -> data.putFloat(pos, (float) d);
                case "f8" -> data.putDouble(pos, d);
                case "i1", "u1" -> data.put(pos, (byte) l);
                case "b1" -> data.put(pos, (byte) (l != 0 ? 1 : 0));
                case "i2", "u2" -> data.putShort(pos, (short) l);
                case "i4", "u4" -> data.putInt(pos, (int) l);
                case "i8", "u8" -> data.putLong(pos, l);
                default -> throw new IllegalArgumentException(s.descr());
            }
        }
        return concat(header(s.version(), dict("'" + s.descr() + "'", s.fortran(), s.shape())), data.array());
    }

    /** Column-major offset of the element at row-major index c. */
    private static int fortranOffset(int c, long[] shape) {
        int f = 0;
        int stride = 1;
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = c % shape[d];
            c /= (int) shape[d];
        }
        for (int d = 0; d < shape.length; d++) {
            f += (int) idx[d] * stride;
            stride *= (int) shape[d];
        }
        return f;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, bytes);
        return file;
    }

    /** An ordered map of archive entries (key without {@code .npy}) to NPY bytes. */
    static Map<String, byte[]> entries(Object... keyBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < keyBytes.length; i += 2) {
            Object v = keyBytes[i + 1];
            m.put((String) keyBytes[i], v instanceof Spec s ? s.bytes() : (byte[]) v);
        }
        return m;
    }

    /** An .npz archive as np.savez (stored) or np.savez_compressed (deflated) writes it. */
    static Path npz(Path file, boolean deflated, Map<String, byte[]> entries) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey() + ".npy");
                byte[] b = e.getValue();
                if (deflated) {
                    z.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(b);
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(b.length);
                    z.setCompressedSize(b.length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(b);
                zip.closeEntry();
            }
        }
        return file;
    }
}
