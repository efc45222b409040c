package io.sandbox402.sandbox.blockrun;

import io.sandbox402.sandbox.SandboxException;

/**
 * BlockRun answered with an error. The message says what it said and what to do; {@link #status()} is the HTTP status.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class BlockRunException extends SandboxException {
    private final int status;

    public BlockRunException(int status, String message) {
        super(message);
        this.status = status;
    }

    public BlockRunException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when BlockRun could not be reached. */
    public int status() {
        return status;
    }
}
