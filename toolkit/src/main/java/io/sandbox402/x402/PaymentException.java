package io.sandbox402.x402;

import org.jspecify.annotations.Nullable;

/**
 * A payment could not be made, or its outcome is not known. The message says what happened and what
 * to do; it never holds a key, a signature or a payment header.
 *
 * <p>Thread-safe once thrown, like any exception.
 */
public class PaymentException extends RuntimeException {
    public PaymentException(String message) {
        super(message);
    }

    public PaymentException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
