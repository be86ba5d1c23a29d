package org.crossl.api.data;

import java.nio.file.Path;

/** Input data that cannot be read; the message names the file and, where known, the line. */
public class DataFormatException extends RuntimeException {
    public DataFormatException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
    }

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
