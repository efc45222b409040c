package io.sandbox402.agent;

import io.sandbox402.x402.PaymentRefusedException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one task, told as it happens, typed: the sandbox and payment failures (the
 * provider tells them before the tools turn them into text for the model) and the end of its runs
 * (the model tells it when it asks for a tool it may no longer use). {@link CodeInterpreter} decides
 * the task's outcome from these, never from the text of an exception or a tool's result.
 * Thread-safe: the tools may run on other threads than the solving one.
 */
final class TaskSignals {
    private final Consumer<RuntimeException> onFailure;
    private volatile @Nullable RuntimeException firstFailure;
    private volatile @Nullable PaymentRefusedException refusal;
    private volatile boolean limitReached;

    /** @param onFailure sees each failure as it happens, on the failing thread */
    TaskSignals(Consumer<RuntimeException> onFailure) {
        this.onFailure = onFailure;
    }

    /** A sandbox or payment failure; a refused payment ends the task's runs. */
    void failed(RuntimeException failure) {
        synchronized (this) {
            if (failure instanceof PaymentRefusedException refused && refusal == null) {
                refusal = refused;
            }
            if (firstFailure == null) {
                firstFailure = failure;
            }
        }
        onFailure.accept(failure);
    }

    /** The model asked for a run after the task's runs or budget were used. */
    void limitReached() {
        limitReached = true;
    }

    /** The first payment the policy refused, or {@code null}. */
    @Nullable PaymentRefusedException refusal() {
        return refusal;
    }

    /** The first sandbox or payment failure, or {@code null}. */
    @Nullable RuntimeException failure() {
        return firstFailure;
    }

    /** Whether the model asked for a run after the runs or the budget were used. */
    boolean limitWasReached() {
        return limitReached;
    }
}
