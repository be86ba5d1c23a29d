package org.crossl.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.CRC32C;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.MappedWindowStore;

/**
 * CRC32C checksums of a cache file in fixed-size chunks, and their verification: all at once, or
 * each chunk before the first read that touches it ({@link MappedWindowStore.ReadCheck}), so that a
 * file larger than memory is still paged in on demand and checked as it is. CRC32C runs as a CPU
 * instruction (SSE 4.2) in the JDK: a few GB/s.
 */
final class ChunkChecksums implements MappedWindowStore.ReadCheck {
    static final String ALGORITHM = "CRC32C";

    private final Path file;
    private final Path entry;
    private final int chunkBytes;
    private final long size;
    private final int[] crc;
    private final boolean[] verified;
    private ByteBuffer buffer;
    /** Opened with the mapping and kept: the file the windows were mapped from, even if the path is replaced meanwhile. */
    private final FileChannel channel;

    /**
     * Checks of {@code file}, whose windows the caller maps now: the channel is opened here, so
     * that later checks read the same file as the mapping even if the entry is replaced meanwhile.
     */
    ChunkChecksums(Path file, Path entry, long size, int chunkBytes, int[] crc) {
        if (crc.length != chunks(size, chunkBytes)) {
            throw new IllegalStateException(file + ": " + crc.length + " checksums for " + chunks(size, chunkBytes) + " chunks");
        }
        this.file = file;
        this.entry = entry;
        this.size = size;
        this.chunkBytes = chunkBytes;
        this.crc = crc;
        this.verified = new boolean[crc.length];
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the window cache file " + file + ": " + e.getMessage(), e);
        }
    }

    static int chunks(long size, int chunkBytes) {
        return (int) ((size + chunkBytes - 1) / chunkBytes);
    }

    /** The checksum of every chunk of {@code file}. */
    static int[] compute(Path file, int chunkBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int[] out = new int[chunks(size, chunkBytes)];
            ByteBuffer b = ByteBuffer.allocateDirect(chunkBytes);
            for (int k = 0; k < out.length; k++) {
                out[k] = crcOf(ch, b, (long) k * chunkBytes, (int) Math.min(chunkBytes, size - (long) k * chunkBytes));
            }
            return out;
        }
    }

    private static int crcOf(FileChannel ch, ByteBuffer b, long from, int length) throws IOException {
        b.clear().limit(length);
        while (b.hasRemaining()) {
            if (ch.read(b, from + b.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (from + b.position()));
            }
        }
        b.flip();
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    /** Verifies every chunk; throws {@link DataFormatException} naming the first damaged one. */
    void verifyAll() {
        for (int k = 0; k < crc.length; k++) {
            verify(k);
        }
    }

    /** Verifies the chunks under bytes {@code [from, from + length)} not verified yet. */
    void verify(long from, long length) {
        if (length <= 0) {
            return;
        }
        int last = (int) ((from + length - 1) / chunkBytes);
        for (int k = (int) (from / chunkBytes); k <= last; k++) {
            if (!verified[k]) {
                verify(k);
            }
        }
    }

    @Override
    public void beforeRead(long fileOffset, long length) {
        verify(fileOffset, length);
    }

    private synchronized void verify(int k) {
        if (verified[k]) {
            return;
        }
        long from = (long) k * chunkBytes;
        int length = (int) Math.min(chunkBytes, size - from);
        int actual;
        try {
            FileChannel ch = channel;
            if (ch.size() != size) {
                throw new DataFormatException(String.format(Locale.ROOT, "the window cache file %s holds %d bytes, but its entry recorded %d; "
                        + "delete %s (or run with --no-cache) and the windows are rebuilt from the source", file, ch.size(), size, entry));
            }
            if (buffer == null) {
                buffer = ByteBuffer.allocateDirect(chunkBytes);
            }
            actual = crcOf(ch, buffer, from, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the window cache file " + file + ": " + e.getMessage(), e);
        }
        if (actual != crc[k]) {
            throw new DataFormatException(String.format(Locale.ROOT, "the window cache file %s is damaged: bytes %d-%d fail their %s check "
                    + "(recorded %08x, found %08x); delete %s (or run with --no-cache) and the windows are rebuilt from the source",
                    file, from, from + length - 1, ALGORITHM, crc[k], actual, entry));
        }
        verified[k] = true;
    }
}
