package io.sandbox402.x402;

/** A 402 (or a payment header, on the server side) that cannot be read: not base64, not JSON, or fields missing or out of range. Thread-safe once thrown, like any exception. */
public class MalformedPaymentRequestException extends PaymentException {
    public MalformedPaymentRequestException(String message) {
        super(message);
    }

    public MalformedPaymentRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
