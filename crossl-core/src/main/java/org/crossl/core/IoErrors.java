package org.crossl.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What an I/O failure was, in words a user can act on, read from the exception itself (its type and
 * the operating system's reason) rather than guessed: Java's file-system exceptions carry only a
 * path as their message, so "error: /runs/r/checkpoint-step00000400" is all a user would see.
 */
public final class IoErrors {
    private IoErrors() {
    }

    /** The failure's kind, as a short phrase a message can branch on. */
    public enum Kind { MISSING, PERMISSION, NO_SPACE, READ_ONLY, EXISTS, INTERRUPTED, OTHER }

    /** The kind of {@code e}, looking through wrapping {@link UncheckedIOException}s and causes. */
    public static Kind kind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchFileException) {
                return Kind.MISSING;
            }
            if (t instanceof AccessDeniedException) {
                return Kind.PERMISSION;
            }
            if (t instanceof FileAlreadyExistsException || t instanceof DirectoryNotEmptyException) {
                return Kind.EXISTS;
            }
            if (t instanceof ClosedByInterruptException) {
                return Kind.INTERRUPTED;
            }
            String m = String.valueOf(t instanceof FileSystemException f ? f.getReason() : t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no space left") || m.contains("disk quota exceeded")) {
                return Kind.NO_SPACE;
            }
            if (m.contains("read-only file system")) {
                return Kind.READ_ONLY;
            }
            if (m.contains("permission denied") || m.contains("operation not permitted")) {
                return Kind.PERMISSION;
            }
        }
        return Kind.OTHER;
    }

    /**
     * One phrase: what happened, to which file. An exception of our own with a message of its own
     * (no file-system exception under it) is described by that message.
     */
    public static String describe(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof FileSystemException || c instanceof ClosedByInterruptException) {
                t = c; // the innermost report of the operating system's own words
                break;
            }
        }
        String file = t instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String other = t instanceof FileSystemException f && f.getOtherFile() != null ? " (to " + f.getOtherFile() + ")" : "";
        return switch (kind(e)) {
            case MISSING -> (file != null ? file : "a file") + " does not exist (it was never written, or it was deleted or renamed while "
                    + "in use: is another process writing the same directory?)";
            case PERMISSION -> "permission denied" + (file != null ? " on " + file : "") + other;
            case NO_SPACE -> "no space left on the device" + (file != null ? " holding " + file : "");
            case READ_ONLY -> "the file system" + (file != null ? " holding " + file : "") + " is read-only";
            case EXISTS -> (file != null ? file : "the target") + other + " already exists";
            case INTERRUPTED -> "interrupted while " + (file != null ? "using " + file : "reading or writing");
            case OTHER -> t instanceof NotDirectoryException ? file + " is not a directory"
                    : t instanceof FileSystemException f ? (file != null ? file + ": " : "") + (f.getReason() != null ? f.getReason() : t.getClass().getSimpleName())
                    : t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        };
    }
}
