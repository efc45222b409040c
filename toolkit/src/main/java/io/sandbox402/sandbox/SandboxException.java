package io.sandbox402.sandbox;

/**
 * A sandbox operation failed. The message says what happened and what to do next; it never holds
 * a key or a payment header. Payment failures are {@link io.sandbox402.x402.PaymentException}s.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class SandboxException extends RuntimeException {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
