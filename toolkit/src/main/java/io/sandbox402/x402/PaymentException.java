package io.sandbox402.x402;

import org.jspecify.annotations.Nullable;

/**
 * A payment could not be made, or its outcome is not known. The message says what happened and what
 * to do; it never holds a key, a signature or a payment header.
 *
 * <p>Thread-safe once thrown, like any exception.
 */
public class PaymentException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do; shown to people, so never a key or a payment header
     */
    public PaymentException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do; shown to people, so never a key or a payment header
     * @param cause the underlying failure, kept for the stack trace; may be null
     */
    public PaymentException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
