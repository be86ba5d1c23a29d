package org.crossl.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per run directory: an operating-system lock on {@code DIR/.crossl.lock}, held while a
 * command writes the directory (pretraining, resuming, evaluating, replacing with {@code --force}).
 * The lock file also names its holder (PID, start time, command), so a second command fails at once
 * with an error that says who holds the directory. The OS releases the lock when the holder's
 * process ends, however it ends, so a lock file left behind by a killed process is no obstacle.
 *
 * <p>Within one JVM the same directory cannot be locked twice either (Java's file locks are per
 * process; a second acquisition is refused like another process's).
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".crossl.lock";
    private static final Map<Path, RunLock> HELD = new ConcurrentHashMap<>();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process (or another run in this one) holds the directory. */
    public static final class HeldException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock of {@code dir} (created if needed) for {@code what} (a few words: "crossl
     * pretrain").
     *
     * @throws HeldException naming the directory and the holder, when it is held
     * @throws IOException   when the lock file cannot be created or written
     */
    public static RunLock acquire(Path dir, String what) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Files.createDirectories(abs);
        Path file = abs.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = HELD.containsKey(abs) ? null : ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot lock " + file + ": " + IoErrors.describe(e), e);
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new HeldException("the directory " + abs + " is in use by another crossl command" + (holder.isEmpty() ? "" : " (" + holder + ")")
                    + "; one command at a time writes a run directory: wait for it to finish or stop it, or choose another directory");
        }
        RunLock l = new RunLock(abs, ch, lock);
        HELD.put(abs, l);
        ProcessHandle self = ProcessHandle.current();
        String info = "pid " + self.pid() + ", started " + self.info().startInstant().map(Instant::toString).orElse("at an unknown time")
                + ", " + what + "\n";
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(info.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return l;
    }

    /** What the lock file says about its holder, or "" when it says nothing readable. */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(4096, ch.size()));
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    public Path dir() {
        return dir;
    }

    /** Releases the lock; the file stays (its contents only matter while it is locked). */
    @Override
    public void close() throws IOException {
        HELD.remove(dir, this);
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
