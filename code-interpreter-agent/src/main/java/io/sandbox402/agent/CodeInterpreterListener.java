package io.sandbox402.agent;

import java.math.BigDecimal;

/**
 * Progress of a task, for people watching: what the model says, each run as it starts and ends.
 * Called on the solving thread (or a tool's), so an implementation given to an interpreter that
 * solves tasks on several threads at once must be thread-safe.
 */
public interface CodeInterpreterListener {

    /**
     * The model's words that came with a tool call, for instance its plan.
     *
     * @param text what the model said
     */
    default void modelSaid(String text) {}

    /**
     * A run is about to start.
     *
     * @param number 1 for the task's first run
     * @param language {@code python}, {@code javascript}, {@code bash}, {@code shell} or {@code pip}
     * @param code what will run
     */
    default void stepStarted(int number, String language, String code) {}

    /**
     * A run ended.
     *
     * @param step what ran and its result
     * @param spent what the task has cost so far, in US dollars
     */
    default void stepFinished(Step step, BigDecimal spent) {}

    /**
     * A run could not happen: the sandbox could not be created or failed, or a payment was refused
     * ({@link io.sandbox402.x402.PaymentRefusedException}). The model is told and may go on.
     *
     * @param number the number the run would have had
     * @param failure why it could not happen
     * @param spent what the task has cost so far, in US dollars
     */
    default void stepFailed(int number, RuntimeException failure, BigDecimal spent) {}
}
