package org.crossl.core.run;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
