package io.sandbox402.sandbox;

/**
 * A sandbox operation failed. The message says what happened and what to do next; it never holds
 * a key or a payment header. Payment failures are {@link io.sandbox402.x402.PaymentException}s.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class SandboxException extends RuntimeException {
    /**
     * A failure without an underlying exception.
     *
     * @param message what happened and what to do next
     */
    public SandboxException(String message) {
        super(message);
    }

    /**
     * A failure caused by another exception.
     *
     * @param message what happened and what to do next
     * @param cause the underlying failure, such as an {@link java.io.IOException}
     */
    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
