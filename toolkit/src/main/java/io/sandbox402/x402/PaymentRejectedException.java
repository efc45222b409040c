package io.sandbox402.x402;

/**
 * The server answered a paid request with 402 again: it did not accept the payment (for instance
 * insufficient balance or an expired authorization). The client does not sign again.
 *
 * <p>Thread-safe once thrown, like any exception.
 */
public class PaymentRejectedException extends PaymentException {
    /** The server's reason, as sent. */
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do; shown to people, so never a key or a payment header
     * @param reason the server's reason, as it sent it
     */
    public PaymentRejectedException(String message, String reason) {
        super(message);
        this.reason = reason;
    }

    /** {@return the server's reason, for instance {@code insufficient_funds}} */
    public String reason() {
        return reason;
    }
}
