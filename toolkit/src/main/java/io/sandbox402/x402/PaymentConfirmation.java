package io.sandbox402.x402;

/**
 * Asked before each payment is signed, after the caps passed: return {@code false} to refuse. It may
 * block (for instance to ask a person); it is called on the thread that makes the request.
 *
 * <p>Implementations must be thread-safe: calls that share an interceptor ask it concurrently.
 */
@FunctionalInterface
public interface PaymentConfirmation {
    /**
     * Decides on one quote.
     *
     * @param quote what the server asks, already within the per-call cap and the payee pins
     * @return {@code true} to sign and pay, {@code false} to refuse with a {@link PaymentRefusedException}
     */
    boolean confirm(PaymentQuote quote);
}
