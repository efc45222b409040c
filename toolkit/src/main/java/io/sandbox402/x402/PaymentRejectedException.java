package io.sandbox402.x402;

/**
 * The server answered a paid request with 402 again: it did not accept the payment (for instance
 * insufficient balance or an expired authorization). The client does not sign again.
 *
 * <p>Thread-safe once thrown, like any exception.
 */
public class PaymentRejectedException extends PaymentException {
    private final String reason;

    public PaymentRejectedException(String message, String reason) {
        super(message);
        this.reason = reason;
    }

    /** The server's reason, for instance {@code insufficient_funds}. */
    public String reason() {
        return reason;
    }
}
