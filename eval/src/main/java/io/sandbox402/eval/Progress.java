package io.sandbox402.eval;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Where an evaluation stands, reported after each batch.
 *
 * @param done samples with a verdict, including those found in the results file at start
 * @param total samples in the samples file
 * @param passed samples that passed so far in this run
 * @param evaluated samples evaluated in this run (the pass rate's denominator)
 * @param spent US dollars spent so far in this run
 * @param elapsed time since this run started
 * @param sandboxes sandboxes running now
 */
public record Progress(long done, long total, long passed, long evaluated, BigDecimal spent, Duration elapsed,
        int sandboxes) {

    /** {@return passed over evaluated in this run, or 0 before any} */
    public double passRate() {
        return evaluated == 0 ? 0 : (double) passed / evaluated;
    }

    /**
     * {@return the time left at this run's pace, or {@code null} before the first batch}
     *
     * @param doneAtStart the {@link #done} found in the results file when the run started
     */
    public Duration eta(long doneAtStart) {
        long thisRun = done - doneAtStart;
        if (thisRun <= 0) {
            return null;
        }
        return Duration.ofMillis(elapsed.toMillis() * (total - done) / thisRun);
    }
}
