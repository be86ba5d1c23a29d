package org.crossl.core.train;

/** Training would not fit in the memory this process may use; the message says how much it needs and what to lower. */
public final class MemoryLimitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MemoryLimitException(String message) {
        super(message);
    }

    public MemoryLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
