package io.sandbox402.x402;

/** A 402 that is well formed but offers nothing this client can pay: unknown scheme, network or asset. Thread-safe once thrown, like any exception. */
public class UnsupportedPaymentException extends PaymentException {
    /**
     * Creates the exception.
     *
     * @param message what the server offered and what this client supports
     */
    public UnsupportedPaymentException(String message) {
        super(message);
    }
}
