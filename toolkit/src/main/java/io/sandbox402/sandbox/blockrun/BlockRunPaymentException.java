package io.sandbox402.sandbox.blockrun;

/**
 * BlockRun refused the payment of a call (402 with {@code code} {@code PAYMENT_INVALID},
 * {@code PAYMENT_UNFUNDED}, {@code PAYMENT_BLOCKHASH_STALE} or {@code PAYMENT_REPLAY}): the call did
 * not run and nothing was charged for it. The client signs no second payment; the ledger records the
 * payment as {@code REJECTED}. The cause is the x402 layer's {@link io.sandbox402.x402.PaymentRejectedException}.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class BlockRunPaymentException extends BlockRunException {
    /** BlockRun's code, for instance {@code PAYMENT_UNFUNDED}. */
    private final String code;

    /**
     * A refused payment.
     *
     * @param code BlockRun's code, for instance {@code PAYMENT_UNFUNDED}
     * @param message what happened and what to do
     * @param cause the x402 rejection
     */
    public BlockRunPaymentException(String code, String message, Throwable cause) {
        super(402, message, cause);
        this.code = code;
    }

    /** {@return BlockRun's code, for instance {@code PAYMENT_UNFUNDED}} */
    public String code() {
        return code;
    }
}
