package io.sandbox402.x402;

/**
 * The {@link PaymentPolicy} said no before anything was signed: the price is above a cap, the payee
 * or network is not allowed, or the confirmation hook declined. Nothing was paid.
 *
 * <p>Thread-safe once thrown, like any exception.
 */
public class PaymentRefusedException extends PaymentException {
    /**
     * Creates the exception.
     *
     * @param message why the payment was refused (the price and the limit, or the host) and what to do about it
     */
    public PaymentRefusedException(String message) {
        super(message);
    }
}
