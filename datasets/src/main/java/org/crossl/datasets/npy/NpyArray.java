package org.crossl.datasets.npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.crossl.api.data.DataFormatException;
import org.crossl.datasets.Datasets;

/**
 * One n-dimensional array in the NumPy NPY format (versions 1.0, 2.0 and 3.0), as {@code np.save}
 * writes it: the magic {@code \x93NUMPY}, a version, a header length (uint16 little-endian in 1.0,
 * uint32 in 2.0 and 3.0), a Python-dict header giving {@code descr}, {@code fortran_order} and
 * {@code shape}, then {@code prod(shape) · itemsize} bytes of data.
 *
 * <p>The data stays as raw bytes (memory-mapped for a {@code .npy} file, inflated once for an
 * {@code .npz} entry) until it is converted: {@link #toFloats()} / {@link #readFloats} for sensor
 * values, {@link #toLongs()} / {@link #toInts()} for labels and subject ids. Conversions always
 * return row-major (C order) values, whatever {@code fortran_order} says: element
 * {@code [i, j, k]} of a shape {@code [a, b, c]} array is at {@code (i·b + j)·c + k}.
 *
 * <p>Limits: at most {@link #MAX_ELEMENTS} elements (what one Java array holds); the dtypes of
 * {@link NpyDtype}. Every error is a {@link DataFormatException} whose message starts with
 * {@link #source()}: the file, and the archive entry for an {@code .npz}.
 */
public final class NpyArray {

    /** The most elements an array may have: the largest Java array. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** The magic string that starts every NPY file. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    // Data is held in chunks of 2^30 bytes: a ByteBuffer is int-indexed (< 2 GiB), while an array
    // of MAX_ELEMENTS float64 values needs 16 GiB. Item sizes divide 2^30, so no element straddles
    // two chunks. Tests pass smaller chunks (at least 8 bytes) to exercise the chunk boundaries.
    static final int CHUNK_BITS = 30;

    private final String source;
    private final String descr;
    private final NpyDtype dtype;
    private final long[] shape;
    private final boolean fortranOrder;
    private final long size;
    private final ByteBuffer[] chunks;
    private final int chunkBits;
    private final long chunkMask;

    private NpyArray(String source, NpyHeader header, NpyDtype.Typed type, long size, ByteBuffer[] chunks, int chunkBits) {
        this.source = source;
        this.descr = header.descr();
        this.dtype = type.type();
        this.shape = header.shape();
        this.fortranOrder = header.fortranOrder();
        this.size = size;
        this.chunks = chunks;
        this.chunkBits = chunkBits;
        this.chunkMask = (1L << chunkBits) - 1;
        for (ByteBuffer c : chunks) {
            c.order(type.order());
        }
    }

    /**
     * Reads an {@code .npy} file. The data is memory-mapped, not copied: it is read from disk once,
     * when converted.
     */
    public static NpyArray read(Path file) {
        return read(file, CHUNK_BITS);
    }

    static NpyArray read(Path file, int chunkBits) {
        String source = Datasets.abs(file).toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize == 0) {
                throw new DataFormatException(source + ": the file is empty (0 bytes); expected an NPY array (np.save)");
            }
            byte[] pre = new byte[(int) Math.min(fileSize, 12)];
            readFully(ch, ByteBuffer.wrap(pre), 0);
            int preamble = checkPreamble(pre, pre.length, fileSize, source);
            long headerLength = headerLength(pre, source);
            long dataStart = preamble + headerLength;
            if (dataStart > fileSize) {
                throw new DataFormatException(source + ": truncated header: it declares " + headerLength + " bytes but the file has only "
                        + (fileSize - preamble) + " after the " + preamble + "-byte preamble");
            }
            byte[] h = new byte[(int) headerLength];
            readFully(ch, ByteBuffer.wrap(h), preamble);
            NpyHeader header = NpyHeader.parse(headerText(pre, h), source);
            NpyDtype.Typed type = NpyDtype.parse(header.descr(), header.descrLiteral(), source);
            long size = elements(header.shape(), source);
            long bytes = size * type.type().itemSize();
            long found = fileSize - dataStart;
            checkDataLength(bytes, found, header, type, source);
            ByteBuffer[] chunks = new ByteBuffer[chunkCount(bytes, chunkBits)];
            for (int c = 0; c < chunks.length; c++) {
                long from = (long) c << chunkBits;
                chunks[c] = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + from, Math.min(bytes - from, 1L << chunkBits));
            }
            return new NpyArray(source, header, type, size, chunks, chunkBits);
        } catch (IOException e) {
            throw new DataFormatException("cannot read " + source + ": " + e, e);
        }
    }

    /**
     * Reads an NPY array from a stream (an {@code .npz} entry), consuming it to the end.
     *
     * @param source the file and entry, for messages ({@code data.npz (entry X.npy)})
     */
    public static NpyArray read(InputStream in, String source) throws IOException {
        return read(in, source, CHUNK_BITS);
    }

    static NpyArray read(InputStream in, String source, int chunkBits) throws IOException {
        byte[] pre = in.readNBytes(12);
        if (pre.length == 0) {
            throw new DataFormatException(source + ": the entry is empty (0 bytes); expected an NPY array");
        }
        int preamble = checkPreamble(pre, pre.length, pre.length, source);
        long headerLength = headerLength(pre, source);
        if (headerLength > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(source + ": malformed NPY header: it declares " + headerLength + " bytes");
        }
        // the first 12 bytes hold the v1 preamble and the first two header bytes
        byte[] h = new byte[(int) headerLength];
        int carried = Math.min(pre.length - preamble, h.length);
        System.arraycopy(pre, preamble, h, 0, carried);
        int got = carried + in.readNBytes(h, carried, h.length - carried);
        if (got < h.length) {
            throw new DataFormatException(source + ": truncated header: it declares " + headerLength + " bytes but only " + got
                    + " follow the " + preamble + "-byte preamble");
        }
        NpyHeader header = NpyHeader.parse(headerText(pre, h), source);
        NpyDtype.Typed type = NpyDtype.parse(header.descr(), header.descrLiteral(), source);
        long size = elements(header.shape(), source);
        long bytes = size * type.type().itemSize();
        // bytes of the 12-byte prefix that belong to the data (a v1 header shorter than 2 bytes)
        int dataInPrefix = Math.max(0, pre.length - preamble - h.length);
        ByteBuffer[] chunks = new ByteBuffer[chunkCount(bytes, chunkBits)];
        long found = 0;
        for (int c = 0; c < chunks.length; c++) {
            byte[] chunk = new byte[(int) Math.min(bytes - ((long) c << chunkBits), 1L << chunkBits)];
            int off = 0;
            if (c == 0 && dataInPrefix > 0) {
                off = Math.min(dataInPrefix, chunk.length);
                System.arraycopy(pre, preamble + h.length, chunk, 0, off);
            }
            int n = off + in.readNBytes(chunk, off, chunk.length - off);
            found += n;
            if (n < chunk.length) {
                checkDataLength(bytes, found, header, type, source);
            }
            chunks[c] = ByteBuffer.wrap(chunk);
        }
        long extra = Math.max(0, dataInPrefix - bytes) + in.transferTo(OutputStream.nullOutputStream());
        checkDataLength(bytes, found + extra, header, type, source);
        return new NpyArray(source, header, type, size, chunks, chunkBits);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** Checks magic and version; returns the preamble length (10 for v1, 12 for v2/v3). */
    private static int checkPreamble(byte[] pre, int have, long total, String source) {
        int m = Math.min(have, MAGIC.length);
        if (!Arrays.equals(pre, 0, m, MAGIC, 0, m) || have < MAGIC.length) {
            if (Arrays.equals(pre, 0, m, MAGIC, 0, m)) {
                throw new DataFormatException(source + ": truncated header: only " + total + " bytes, not even the NPY magic \\x93NUMPY");
            }
            String hint = have >= 2 && pre[0] == 'P' && pre[1] == 'K'
                    ? " (it looks like a zip/.npz archive: give it as path, not as an .npy file)" : "";
            throw new DataFormatException(source + ": not an NPY file: it does not start with the magic \\x93NUMPY (first bytes: "
                    + hex(pre, Math.min(have, 8)) + ")" + hint);
        }
        if (have < 8) {
            throw new DataFormatException(source + ": truncated header: only " + total + " bytes, the NPY version is missing");
        }
        int major = pre[6] & 0xFF;
        int minor = pre[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new DataFormatException(source + ": unsupported NPY format version " + major + "." + minor
                    + "; this reader knows 1.0, 2.0 and 3.0");
        }
        int preamble = major == 1 ? 10 : 12;
        if (have < preamble) {
            throw new DataFormatException(source + ": truncated header: only " + total + " bytes, the NPY " + major
                    + ".0 preamble needs " + preamble);
        }
        return preamble;
    }

    private static long headerLength(byte[] pre, String source) {
        if (pre[6] == 1) {
            return (pre[8] & 0xFF) | (pre[9] & 0xFF) << 8;
        }
        return ByteBuffer.wrap(pre, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    }

    private static String headerText(byte[] pre, byte[] h) {
        // 1.0 and 2.0 headers are latin-1; 3.0 allows UTF-8 (field names of structured dtypes)
        return new String(h, pre[6] == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static long elements(long[] shape, String source) {
        long n = 1;
        try {
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > MAX_ELEMENTS) {
            throw new DataFormatException(source + ": shape " + Arrays.toString(shape) + " has "
                    + (n == Long.MAX_VALUE ? "more than 2^63" : Long.toString(n)) + " elements, more than the " + MAX_ELEMENTS
                    + " one Java array holds; split the array into several files");
        }
        return n;
    }

    private static void checkDataLength(long expected, long found, NpyHeader header, NpyDtype.Typed type, String source) {
        if (found == expected) {
            return;
        }
        String what = "shape " + Arrays.toString(header.shape()) + " of " + header.descr() + " needs " + expected + " bytes ("
                + type.type().itemSize() + " per element) after the header, found " + found;
        throw new DataFormatException(source + ": " + (found < expected ? "truncated data: " + what : "data length does not match the header: "
                + what + " (" + (found - expected) + " bytes too many)"));
    }

    private static int chunkCount(long bytes, int chunkBits) {
        if (chunkBits < 3 || chunkBits > CHUNK_BITS) {
            throw new IllegalArgumentException("chunks of 2^" + chunkBits + " bytes");
        }
        return (int) ((bytes + (1L << chunkBits) - 1) >>> chunkBits);
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xFF));
        }
        return s.toString();
    }

    /** The file (and archive entry) the array came from. */
    public String source() {
        return source;
    }

    /** The descr string of the header, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    public NpyDtype dtype() {
        return dtype;
    }

    /** The dimensions (a copy); empty for a scalar. */
    public long[] shape() {
        return shape.clone();
    }

    /** Dimension {@code axis} of the shape. */
    public long shape(int axis) {
        return shape[axis];
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements, the product of the shape. */
    public long size() {
        return size;
    }

    /** Whether the file stores the data column-major; conversions return row-major values regardless. */
    public boolean fortranOrder() {
        return fortranOrder;
    }

    /** All elements as float32, in C order. */
    public float[] toFloats() {
        float[] out = new float[(int) size];
        readFloats(0, out, 0, out.length);
        return out;
    }

    /**
     * Copies the C-order elements {@code [from, from + length)}, converted to float32, into
     * {@code dst[offset …]}. Reading one window at a time lets callers avoid a second full-size copy.
     */
    public void readFloats(long from, float[] dst, int offset, int length) {
        if (from < 0 || length < 0 || from + length > size) {
            throw new IndexOutOfBoundsException("elements [" + from + ", " + (from + length) + ") of " + size);
        }
        if (!fortranOrder && dtype == NpyDtype.FLOAT32) {
            bulkFloats(from, dst, offset, length);
            return;
        }
        Cursor c = new Cursor(from);
        for (int k = 0; k < length; k++) {
            dst[offset + k] = (float) doubleAt(c.next());
        }
    }

    /** C-order float32 elements straight from the buffers, chunk by chunk. */
    private void bulkFloats(long from, float[] dst, int offset, int length) {
        long byteIndex = from * 4;
        int done = 0;
        while (done < length) {
            ByteBuffer chunk = chunks[(int) (byteIndex >>> chunkBits)];
            int pos = (int) (byteIndex & chunkMask);
            int n = Math.min(length - done, (chunk.capacity() - pos) / 4);
            chunk.asFloatBuffer().get(pos / 4, dst, offset + done, n);
            done += n;
            byteIndex += (long) n * 4;
        }
    }

    /**
     * All elements as 64-bit integers, in C order. Float elements must hold whole numbers (labels
     * saved as float are common); anything else is an error naming the element.
     */
    public long[] toLongs() {
        long[] out = new long[(int) size];
        Cursor c = new Cursor(0);
        for (int k = 0; k < out.length; k++) {
            long e = c.next();
            if (dtype.isFloat()) {
                double d = doubleAt(e);
                // 2^63 is exactly representable; anything at or beyond it does not fit a long
                if (!(d == Math.rint(d) && Math.abs(d) < 0x1p63)) {
                    throw new DataFormatException(source + ": element " + index(k) + " is " + d + ", not an integer (" + descr + ")");
                }
                out[k] = (long) d;
            } else {
                long v = longAt(e);
                if (dtype == NpyDtype.UINT64 && v < 0) {
                    throw new DataFormatException(source + ": element " + index(k) + " is " + Long.toUnsignedString(v)
                            + ", larger than 2^63-1");
                }
                out[k] = v;
            }
        }
        return out;
    }

    /** All elements as 32-bit integers, in C order; see {@link #toLongs()}. */
    public int[] toInts() {
        long[] l = toLongs();
        int[] out = new int[l.length];
        for (int k = 0; k < l.length; k++) {
            if (l[k] != (int) l[k]) {
                throw new DataFormatException(source + ": element " + index(k) + " is " + l[k] + ", outside the 32-bit integer range");
            }
            out[k] = (int) l[k];
        }
        return out;
    }

    /** The multi-index of C-order element k, for messages: {@code [3]} or {@code [3, 1]}. */
    String index(long k) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = k % shape[d];
            k /= shape[d];
        }
        return Arrays.toString(idx);
    }

    private double doubleAt(long element) {
        long b = element * dtype.itemSize();
        ByteBuffer c = chunks[(int) (b >>> chunkBits)];
        int p = (int) (b & chunkMask);
        return switch (dtype) {
            case FLOAT32 -> c.getFloat(p);
            case FLOAT64 -> c.getDouble(p);
            case UINT64 -> {
                long v = c.getLong(p);
                yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
            }
            default -> longAt(element);
        };
    }

    private long longAt(long element) {
        long b = element * dtype.itemSize();
        ByteBuffer c = chunks[(int) (b >>> chunkBits)];
        int p = (int) (b & chunkMask);
        return switch (dtype) {
            case INT8 -> c.get(p);
            case UINT8 -> c.get(p) & 0xFF;
            case BOOL -> c.get(p) != 0 ? 1 : 0;
            case INT16 -> c.getShort(p);
            case UINT16 -> c.getShort(p) & 0xFFFF;
            case INT32 -> c.getInt(p);
            case UINT32 -> c.getInt(p) & 0xFFFFFFFFL;
            case INT64, UINT64 -> c.getLong(p);
            case FLOAT32 -> (long) c.getFloat(p);
            case FLOAT64 -> (long) c.getDouble(p);
        };
    }

    /**
     * Walks elements in C order, yielding each one's index in storage order. For a C-order array
     * that is the same index; for a Fortran-order array the multi-index is advanced like an
     * odometer (last axis fastest) and the column-major offset updated incrementally, so the
     * transpose costs no division per element.
     */
    private final class Cursor {
        private long next;
        private final long[] idx;
        private final long[] stride;

        Cursor(long from) {
            next = from;
            if (!fortranOrder) {
                idx = null;
                stride = null;
                return;
            }
            int r = shape.length;
            idx = new long[r];
            stride = new long[r];
            long s = 1;
            for (int d = 0; d < r; d++) {
                stride[d] = s;
                s *= shape[d];
            }
            long k = from;
            long f = 0;
            for (int d = r - 1; d >= 0 && size > 0; d--) {
                idx[d] = k % shape[d];
                k /= shape[d];
                f += idx[d] * stride[d];
            }
            next = f;
        }

        long next() {
            long current = next;
            if (idx == null) {
                next++;
                return current;
            }
            for (int d = idx.length - 1; d >= 0; d--) {
                next += stride[d];
                if (++idx[d] < shape[d]) {
                    break;
                }
                next -= shape[d] * stride[d];
                idx[d] = 0;
            }
            return current;
        }
    }

    @Override
    public String toString() {
        return "NpyArray[" + source + ", " + descr + ", shape " + Arrays.toString(shape) + (fortranOrder ? ", fortran order" : "") + "]";
    }
}
