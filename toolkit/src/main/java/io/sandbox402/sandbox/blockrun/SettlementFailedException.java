package io.sandbox402.sandbox.blockrun;

/**
 * BlockRun ran the call but its payment did not settle (402 "Payment settlement failed"): nothing was
 * charged, but the call's effects happened (a sandbox may exist, a command ran) and its answer is lost.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class SettlementFailedException extends BlockRunException {
    /** @param message what happened and what to do */
    public SettlementFailedException(String message, Throwable cause) {
        super(402, message, cause);
    }
}
