package io.sandbox402.sandbox.blockrun;

import io.sandbox402.sandbox.SandboxException;

/**
 * BlockRun answered with an error. The message says what it said and what to do; {@link #status()} is the HTTP status.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class BlockRunException extends SandboxException {
    /** The HTTP status, or 0 when BlockRun could not be reached. */
    private final int status;

    /**
     * An error without an underlying exception.
     *
     * @param status the HTTP status, or 0 when BlockRun could not be reached
     * @param message what BlockRun said and what to do
     */
    public BlockRunException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * An error caused by another exception, such as an I/O failure or an x402 rejection.
     *
     * @param status the HTTP status, or 0 when BlockRun could not be reached
     * @param message what BlockRun said and what to do
     * @param cause the underlying failure
     */
    public BlockRunException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** {@return the HTTP status, or 0 when BlockRun could not be reached} */
    public int status() {
        return status;
    }
}
