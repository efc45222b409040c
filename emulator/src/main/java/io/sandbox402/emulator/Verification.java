package io.sandbox402.emulator;

/**
 * The verdict of {@link PaymentVerifier#verify}.
 *
 * @param valid whether the payment may be settled
 * @param invalidReason the x402 reason string when it may not, for instance {@code insufficient_funds}
 * @param payer the authorization's {@code from}, when it could be read
 */
public record Verification(boolean valid, String invalidReason, String payer) {

    /**
     * {@return a verdict that the payment may be settled}
     *
     * @param payer the authorization's {@code from}
     */
    public static Verification valid(String payer) {
        return new Verification(true, null, payer);
    }

    /**
     * {@return a verdict that the payment may not be settled}
     *
     * @param reason the x402 reason string
     * @param payer the authorization's {@code from}, or null when it could not be read
     */
    public static Verification invalid(String reason, String payer) {
        return new Verification(false, reason, payer);
    }
}
