package io.sandbox402.sandbox.blockrun;

/**
 * BlockRun ran the call but its payment did not settle (402 "Payment settlement failed"): nothing was
 * charged, but the call's effects happened (a sandbox may exist, a command ran) and its answer is lost.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class SettlementFailedException extends BlockRunException {
    /**
     * A call that ran but was not paid for.
     *
     * @param message what happened and what to do
     * @param cause the x402 layer's rejection of the payment
     */
    public SettlementFailedException(String message, Throwable cause) {
        super(402, message, cause);
    }
}
