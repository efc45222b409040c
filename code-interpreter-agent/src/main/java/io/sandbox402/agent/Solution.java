package io.sandbox402.agent;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link CodeInterpreter#solve} did: the answer, every run with its output, what it cost, and
 * the sandboxes it used, each terminated. Immutable (its lists are copies), so thread-safe.
 *
 * @param task the task as given
 * @param answer the model's final answer, or a sentence saying why there is none
 * @param outcome how the run ended
 * @param steps the runs, in order
 * @param cost US dollars committed through the ledger during the task (0 on a free sandbox)
 * @param inputTokens tokens sent to the model
 * @param outputTokens tokens the model produced
 * @param sandboxes the sandboxes used and whether each was terminated
 * @param failure what stopped the task when it is {@link Outcome#FAILED} or {@link Outcome#BUDGET_LIMIT}: the
 *     refused payment, or the sandbox failure that let no code run; {@code null} otherwise
 * @param files the files the task's Python cells created or changed (charts, tables), downloaded when
 *     {@link CodeInterpreter.Builder#outputDir} is set
 */
public record Solution(
        String task,
        String answer,
        Outcome outcome,
        List<Step> steps,
        BigDecimal cost,
        long inputTokens,
        long outputTokens,
        List<SandboxUse> sandboxes,
        @Nullable RuntimeException failure,
        @Nullable List<OutputFile> files) {

    /**
     * Copies the lists, so the solution is immutable; null {@code files} become an empty list.
     *
     * @param task the task as given
     * @param answer the model's final answer, or a sentence saying why there is none
     * @param outcome how the run ended
     * @param steps the runs, in order
     * @param cost US dollars committed through the ledger during the task (0 on a free sandbox)
     * @param inputTokens tokens sent to the model
     * @param outputTokens tokens the model produced
     * @param sandboxes the sandboxes used and whether each was terminated
     * @param failure what stopped the task when it is {@link Outcome#FAILED} or {@link Outcome#BUDGET_LIMIT}: the
     *     refused payment, or the sandbox failure that let no code run; {@code null} otherwise
     * @param files the files the task's Python cells created or changed (charts, tables), downloaded when
     *     {@link CodeInterpreter.Builder#outputDir} is set
     */
    public Solution {
        steps = List.copyOf(steps);
        sandboxes = List.copyOf(sandboxes);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** How a task ended. An enum: thread-safe. */
    public enum Outcome {
        /** The model answered. */
        ANSWERED,
        /** The step limit was reached; the answer is what the model said then. */
        STEP_LIMIT,
        /** The payment policy refused a payment; the answer is what the model said then, if anything. */
        BUDGET_LIMIT,
        /** No code could run (the sandbox could not be created or failed) or the model failed; see {@code failure}. */
        FAILED
    }

    /**
     * A sandbox the task used. Immutable, so thread-safe.
     *
     * @param id the sandbox's id
     * @param terminated whether it was terminated (or found gone) at the end
     */
    public record SandboxUse(String id, boolean terminated) {}

    /** {@return whether every sandbox was terminated} */
    public boolean allTerminated() {
        return sandboxes.stream().allMatch(SandboxUse::terminated);
    }

    /** {@return the tokens sent to and produced by the model} */
    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
