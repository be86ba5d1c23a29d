package org.crossl.api.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Windows stored in a file as float32 little-endian {@code [N, T, C]} (row-major, starting at a
 * byte offset) and mapped into memory: the operating system pages windows in as batches read
 * them, so a dataset need not fit in the heap. The file is mapped in chunks of whole windows of at
 * most 1 GiB (a Java mapping holds at most 2 GiB).
 */
public final class MappedWindowStore implements WindowStore {
    static final long CHUNK_BYTES = 1L << 30;

    private final Path file;
    private final int n;
    private final int t;
    private final int c;
    private final int windowsPerChunk;
    private final FloatBuffer[] chunks;
    private final long offset;
    private final long windowBytes;
    private final ReadCheck check;

    /**
     * Called before a window's bytes are read, with their place in the file: a cache verifies them
     * against its checksums there, so that each part of a file larger than memory is checked when
     * it is first paged in. It throws when they are damaged.
     */
    @FunctionalInterface
    public interface ReadCheck {
        void beforeRead(long fileOffset, long length);
    }

    /**
     * Maps {@code n·t·c} floats of {@code file} from byte {@code offset} (read-only, or read-write
     * for a store that is being filled).
     */
    public MappedWindowStore(Path file, long offset, int n, int t, int c, boolean writable) {
        this(file, offset, n, t, c, writable, null);
    }

    /** As {@link #MappedWindowStore(Path, long, int, int, int, boolean)}, calling {@code check} (if not null) before each read. */
    public MappedWindowStore(Path file, long offset, int n, int t, int c, boolean writable, ReadCheck check) {
        this.file = file;
        this.offset = offset;
        this.check = check;
        this.n = n;
        this.t = t;
        this.c = c;
        long windowBytes = (long) t * c * Float.BYTES;
        this.windowBytes = windowBytes;
        this.windowsPerChunk = (int) Math.max(1, Math.min(Integer.MAX_VALUE, CHUNK_BYTES / Math.max(1, windowBytes)));
        int chunkCount = n == 0 ? 0 : (int) ((n + (long) windowsPerChunk - 1) / windowsPerChunk);
        this.chunks = new FloatBuffer[chunkCount];
        try (FileChannel ch = writable
                ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ)) {
            long need = offset + n * windowBytes;
            if (ch.size() < need) {
                throw new IllegalArgumentException(file + ": holds " + ch.size() + " bytes, but " + n + " windows of " + t + "x" + c
                        + " floats from byte " + offset + " need " + need + " (truncated file?)");
            }
            for (int k = 0; k < chunkCount; k++) {
                int count = Math.min(windowsPerChunk, n - k * windowsPerChunk);
                chunks[k] = ch.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
                                offset + (long) k * windowsPerChunk * windowBytes, count * windowBytes)
                        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public int windows() {
        return n;
    }

    @Override
    public int length() {
        return t;
    }

    @Override
    public int channels() {
        return c;
    }

    @Override
    public void read(int i, float[] dst, int offset) {
        if (check != null) {
            check.beforeRead(this.offset + i * windowBytes, windowBytes);
        }
        int w = t * c;
        chunks[i / windowsPerChunk].get((i % windowsPerChunk) * w, dst, offset, w);
    }

    /** Writes window {@code i} from {@code src[offset…]} (a store mapped writable). */
    public void write(int i, float[] src, int offset) {
        int w = t * c;
        chunks[i / windowsPerChunk].put((i % windowsPerChunk) * w, src, offset, w);
    }

    @Override
    public boolean inMemory() {
        return false;
    }
}
