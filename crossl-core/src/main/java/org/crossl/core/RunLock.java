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
    /** Marks a directory whose lock this process is taking. */
    private static final RunLock PLACEHOLDER = new RunLock(null, null, null, "");

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private final String holder;

    private RunLock(Path dir, FileChannel channel, FileLock lock, String holder) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
        this.holder = holder;
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
        Files.createDirectories(dir);
        Path abs = dir.toRealPath(); // one key per directory, however it is spelled
        // Within this process, refuse before opening anything: closing any descriptor of a locked file
        // releases the process's POSIX lock on it, so a second channel must never be opened and closed.
        RunLock mine = HELD.putIfAbsent(abs, PLACEHOLDER);
        if (mine != null) {
            throw held(abs, mine == PLACEHOLDER ? "" : mine.holder);
        }
        Path file = abs.resolve(FILE);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw held(abs, holder(ch));
            }
            ProcessHandle self = ProcessHandle.current();
            String info = "pid " + self.pid() + ", started " + self.info().startInstant().map(Instant::toString).orElse("at an unknown time")
                    + ", " + what;
            RunLock l = new RunLock(abs, ch, lock, info);
            try { // best effort: the lock holds whether or not its holder is written down
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((info + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                ch.force(false);
            } catch (IOException e) {
                // the message of a refused second command will then lack the holder
            }
            HELD.put(abs, l);
            return l;
        } catch (IOException | RuntimeException e) {
            HELD.remove(abs, PLACEHOLDER);
            if (ch != null) {
                ch.close(); // the lock was not taken (or the acquisition is failing): nothing of ours to keep
            }
            if (e instanceof IOException io) {
                throw new IOException("cannot lock " + file + ": " + IoErrors.describe(io), io);
            }
            throw e;
        }
    }

    private static HeldException held(Path dir, String holder) {
        return new HeldException("the directory " + dir + " is in use by another crossl command" + (holder.isEmpty() ? "" : " (" + holder + ")")
                + "; one command at a time writes a run directory: wait for it to finish or stop it, or choose another directory");
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
