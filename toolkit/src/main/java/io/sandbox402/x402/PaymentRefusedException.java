package io.sandbox402.x402;

/**
 * The {@link PaymentPolicy} said no before anything was signed: the price is above a cap, the payee
 * or network is not allowed, or the confirmation hook declined. Nothing was paid.
 *
 * <p>Thread-safe once thrown, like any exception.
 */
public class PaymentRefusedException extends PaymentException {
    public PaymentRefusedException(String message) {
        super(message);
    }
}
