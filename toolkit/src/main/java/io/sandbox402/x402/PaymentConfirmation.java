package io.sandbox402.x402;

/**
 * Asked before each payment is signed, after the caps passed: return {@code false} to refuse. It may
 * block (for instance to ask a person); it is called on the thread that makes the request.
 *
 * <p>Implementations must be thread-safe: calls that share an interceptor ask it concurrently.
 */
@FunctionalInterface
public interface PaymentConfirmation {
    boolean confirm(PaymentQuote quote);
}
