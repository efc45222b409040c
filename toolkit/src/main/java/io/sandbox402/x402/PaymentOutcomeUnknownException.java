package io.sandbox402.x402;

import org.jspecify.annotations.Nullable;

/**
 * The connection failed after a payment was sent, so it may or may not have been settled. The client
 * does not sign again; the ledger records the payment as {@link LedgerEntry.Outcome#UNKNOWN} and
 * counts it against the session cap. Repeating the call is the caller's decision.
 *
 * <p>Thread-safe once thrown, like any exception.
 */
public class PaymentOutcomeUnknownException extends PaymentException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do; shown to people, so never a key or a payment header
     * @param cause the connection failure after paying; null when the server said the nonce was used
     */
    public PaymentOutcomeUnknownException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
