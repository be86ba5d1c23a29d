package org.crossl.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that could not write its results fails before training, saying why and where. */
class OutputChecksTest {
    @Test
    void tooLittleFreeSpaceIsReportedWithTheSizes(@TempDir Path tmp) throws IOException {
        long free = Files.getFileStore(tmp).getUsableSpace();
        long parameters = free / 4 / 9 + 1; // (4 copies × (2 + 2) + 1) × 4 bytes each: just more than there is
        assertThatThrownBy(() -> PretrainRun.checkSpace(tmp, parameters, 2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the output directory " + tmp.toAbsolutePath() + " has ")
                .hasMessageContaining("MB free, but this run's checkpoints and model need about")
                .hasMessageContaining("training.keepCheckpoints=2");
        assertThatCode(() -> PretrainRun.checkSpace(tmp, 1_000_000, 2)).doesNotThrowAnyException();
    }

    @Test
    void anOutputPathThatCannotBeADirectoryIsRefused(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> PretrainRun.checkWritable(file.resolve("run")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot write to the output directory " + file.resolve("run").toAbsolutePath())
                .hasMessageEndingWith("; choose another --out");
    }

    /**
     * A checkpoint lost to another process was once reported as "free space and run crossl pretrain
     * --resume" on a nearly empty disk: the message must say what happened.
     */
    @Test
    void aCheckpointFailureNamesItsCauseAndGivesAdviceToMatch(@TempDir Path tmp) {
        List<Path> kept = List.of(tmp.resolve("checkpoint-step00000400"));
        String vanished = PretrainRun.checkpointFailure(tmp, new NoSuchFileException(tmp.resolve(".checkpoint-step00000600.tmp/parameters.bin").toString()),
                kept).getMessage();
        assertThat(vanished).contains("could not write or read a checkpoint in " + tmp, ".checkpoint-step00000600.tmp/parameters.bin does not exist",
                "another process", "the newest complete checkpoint is checkpoint-step00000400", "make sure no other process writes or cleans " + tmp,
                "crossl pretrain --resume " + tmp).doesNotContain("free space");
        String full = PretrainRun.checkpointFailure(tmp, new FileSystemException(tmp.resolve("x").toString(), null, "No space left on device"), kept)
                .getMessage();
        assertThat(full).contains("no space left on the device holding " + tmp.resolve("x"), "free space and run crossl pretrain --resume");
        String denied = PretrainRun.checkpointFailure(tmp, new java.nio.file.AccessDeniedException(tmp.toString()), List.of()).getMessage();
        assertThat(denied).contains("permission denied on " + tmp).doesNotContain("free space");
    }
}
