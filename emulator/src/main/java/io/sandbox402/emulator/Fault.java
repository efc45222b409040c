package io.sandbox402.emulator;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

import java.time.Duration;

/**
 * A failure the emulator plays once, for tests of what clients do when BlockRun misbehaves:
 * {@code emulator.inject("exec", Fault.dropConnectionAfterSettle())}.
 */
public sealed interface Fault {

    /**
     * Waits before handling the request, for tests of client deadlines.
     *
     * @param duration how long to wait
     * @return the fault
     */
    static Fault delay(Duration duration) {
        return new Delay(ensureNotNull(duration, "duration"));
    }

    /** {@return a fault that settles the payment, then closes the connection without answering} */
    static Fault dropConnectionAfterSettle() {
        return new DropAfterSettle();
    }

    /**
     * Answers {@code status} after verifying the payment but before running the call: nothing is charged.
     *
     * @param status the HTTP status to answer
     * @return the fault
     */
    static Fault errorBeforeSettle(int status) {
        return new ErrorBeforeSettle(status);
    }

    /**
     * Runs the call and settles the payment, then answers {@code status} anyway.
     *
     * @param status the HTTP status to answer
     * @return the fault
     */
    static Fault errorAfterSettle(int status) {
        return new ErrorAfterSettle(status);
    }

    /**
     * Answers 429 with {@code Retry-After}, before looking at any payment.
     *
     * @param retryAfterSeconds the header's value
     * @return the fault
     */
    static Fault tooManyRequests(int retryAfterSeconds) {
        return new TooManyRequests(retryAfterSeconds);
    }

    /**
     * Runs the call, then fails to settle its payment with {@code reason}, as when the transfer does not land:
     * BlockRun's 402 "Payment settlement failed", nothing charged; the sandbox a create made is terminated.
     *
     * @param reason the facilitator's error reason
     * @return the fault
     */
    static Fault settlementFails(String reason) {
        return new SettlementFails(ensureNotBlank(reason, "reason"));
    }

    /**
     * Rejects the payment with {@code reason}, as a facilitator would. The 402's {@code code} follows the
     * reason: {@code insufficient_funds} is {@code PAYMENT_UNFUNDED}, {@code blockhash_stale}
     * {@code PAYMENT_BLOCKHASH_STALE}, {@code invalid_transaction_state} {@code PAYMENT_REPLAY}, others
     * {@code PAYMENT_INVALID}.
     *
     * @param reason the x402 invalid reason
     * @return the fault
     */
    static Fault rejectPayment(String reason) {
        return new RejectPayment(ensureNotBlank(reason, "reason"));
    }

    /**
     * See {@link #delay}.
     *
     * @param duration how long to wait
     */
    record Delay(Duration duration) implements Fault {}

    /** See {@link #dropConnectionAfterSettle}. */
    record DropAfterSettle() implements Fault {}

    /**
     * See {@link #errorBeforeSettle}.
     *
     * @param status the HTTP status to answer
     */
    record ErrorBeforeSettle(int status) implements Fault {}

    /**
     * See {@link #errorAfterSettle}.
     *
     * @param status the HTTP status to answer
     */
    record ErrorAfterSettle(int status) implements Fault {}

    /**
     * See {@link #tooManyRequests}.
     *
     * @param retryAfterSeconds the {@code Retry-After} header's value
     */
    record TooManyRequests(int retryAfterSeconds) implements Fault {}

    /**
     * See {@link #rejectPayment}.
     *
     * @param reason the x402 invalid reason
     */
    record RejectPayment(String reason) implements Fault {}

    /**
     * See {@link #settlementFails}.
     *
     * @param reason the facilitator's error reason
     */
    record SettlementFails(String reason) implements Fault {}
}
