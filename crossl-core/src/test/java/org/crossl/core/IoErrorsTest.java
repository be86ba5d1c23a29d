package org.crossl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** I/O failures are described from the exception: its type and the operating system's reason. */
class IoErrorsTest {
    @Test
    void eachKindIsNamedWithItsFile() {
        assertThat(IoErrors.describe(new NoSuchFileException("/r/a.bin"))).startsWith("/r/a.bin does not exist");
        assertThat(IoErrors.kind(new UncheckedIOException(new IOException("wrapped", new NoSuchFileException("/r"))))).isEqualTo(IoErrors.Kind.MISSING);
        assertThat(IoErrors.describe(new FileSystemException("/r/b", null, "No space left on device"))).isEqualTo("no space left on the device holding /r/b");
        assertThat(IoErrors.describe(new FileSystemException("/r/b", null, "Disk quota exceeded"))).startsWith("no space left");
        assertThat(IoErrors.describe(new FileSystemException("/r", null, "Read-only file system"))).isEqualTo("the file system holding /r is read-only");
        assertThat(IoErrors.describe(new AccessDeniedException("/r"))).isEqualTo("permission denied on /r");
        assertThat(IoErrors.describe(new IOException("our own words"))).isEqualTo("our own words");
        assertThat(IoErrors.describe(new FileSystemException("/r", null, "Input/output error"))).isEqualTo("/r: Input/output error");
    }
}
