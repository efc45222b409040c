package io.sandbox402.agent;

import java.math.BigDecimal;

/**
 * Progress of a task, for people watching: what the model says, each run as it starts and ends.
 * Called on the solving thread (or a tool's), so an implementation given to an interpreter that
 * solves tasks on several threads at once must be thread-safe.
 */
public interface CodeInterpreterListener {

    /** The model's words that came with a tool call, for instance its plan. */
    default void modelSaid(String text) {}

    default void stepStarted(int number, String language, String code) {}

    /** A run ended; {@code spent} is what the task has cost so far. */
    default void stepFinished(Step step, BigDecimal spent) {}

    /**
     * A run could not happen: the sandbox could not be created or failed, or a payment was refused
     * ({@link io.sandbox402.x402.PaymentRefusedException}). The model is told and may go on.
     */
    default void stepFailed(int number, RuntimeException failure, BigDecimal spent) {}
}
