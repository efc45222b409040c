package io.sandbox402.x402;

/** A 402 (or a payment header, on the server side) that cannot be read: not base64, not JSON, or fields missing or out of range. Thread-safe once thrown, like any exception. */
public class MalformedPaymentRequestException extends PaymentException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do; shown to people, so never a key or a payment header
     */
    public MalformedPaymentRequestException(String message) {
        super(message);
    }

    /**
     * Creates the exception for a parse failure.
     *
     * @param message what happened and what to do; shown to people, so never a key or a payment header
     * @param cause the parser's exception, such as a base64 or JSON error
     */
    public MalformedPaymentRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
