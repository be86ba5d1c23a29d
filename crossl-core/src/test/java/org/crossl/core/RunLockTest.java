package org.crossl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per run directory, across processes; a lock left by a killed process is no obstacle. */
class RunLockTest {

    /** Holds the lock of {@code args[0]} until killed: the other process of the cross-process test. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (RunLock l = RunLock.acquire(Path.of(args[0]), "test holder")) {
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(600_000);
            }
        }
    }

    @Test
    void aSecondWriterInThisProcessIsRefusedUntilTheFirstIsDone(@TempDir Path dir) throws Exception {
        try (RunLock first = RunLock.acquire(dir, "crossl pretrain --out " + dir)) {
            assertThatThrownBy(() -> RunLock.acquire(dir.resolve(".").resolve("x").getParent(), "crossl pretrain --resume"))
                    .isInstanceOf(RunLock.HeldException.class)
                    .hasMessageContaining("the directory " + dir.toAbsolutePath() + " is in use")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("crossl pretrain --out " + dir);
        }
        RunLock.acquire(dir, "again").close();
    }

    @Test
    void anotherProcessHoldingTheDirectoryIsNamedAndItsDeathFreesIt(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), run.toString())).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> RunLock.acquire(run, "crossl evaluate"))
                    .isInstanceOf(RunLock.HeldException.class)
                    .hasMessageContaining("is in use by another crossl command (pid " + p.pid() + ", started ")
                    .hasMessageContaining("test holder");
        } finally {
            p.destroyForcibly(); // SIGKILL: the holder releases nothing itself
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(run.resolve(RunLock.FILE))).contains("pid " + p.pid()); // the stale file is still there
        try (RunLock l = RunLock.acquire(run, "after the holder died")) {
            assertThat(Files.readString(run.resolve(RunLock.FILE))).contains("pid " + ProcessHandle.current().pid(), "after the holder died");
        }
    }
}
