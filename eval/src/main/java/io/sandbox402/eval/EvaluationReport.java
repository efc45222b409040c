package io.sandbox402.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How an evaluation went, over the whole results file (samples of earlier, interrupted runs included).
 *
 * @param results the results file
 * @param complete whether every sample has a verdict
 * @param stoppedBecause why the run stopped early ({@code null} when complete)
 * @param samples samples in the results file
 * @param passed how many of them passed
 * @param passAtK pass@k by k, for each k no larger than every task's sample count
 * @param tasks per task, in the order tasks first appear
 * @param evaluatedThisRun samples evaluated by this run
 * @param duration this run's wall time
 * @param cost US dollars this run spent
 */
public record EvaluationReport(Path results, boolean complete, String stoppedBecause, long samples, long passed,
        Map<Integer, Double> passAtK, List<TaskCount> tasks, long evaluatedThisRun, Duration duration,
        BigDecimal cost) {

    /**
     * Copies the map and the list, so the report is immutable.
     *
     * @param results the results file
     * @param complete whether every sample has a verdict
     * @param stoppedBecause why the run stopped early ({@code null} when complete)
     * @param samples samples in the results file
     * @param passed how many of them passed
     * @param passAtK pass@k by k, for each k no larger than every task's sample count
     * @param tasks per task, in the order tasks first appear
     * @param evaluatedThisRun samples evaluated by this run
     * @param duration this run's wall time
     * @param cost US dollars this run spent
     */
    public EvaluationReport {
        passAtK = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(passAtK));
        tasks = List.copyOf(tasks);
    }

    /** {@return US dollars per sample evaluated in this run (six decimals), or zero} */
    public BigDecimal costPerSample() {
        return evaluatedThisRun == 0 ? BigDecimal.ZERO
                : cost.divide(BigDecimal.valueOf(evaluatedThisRun), 6, RoundingMode.HALF_UP);
    }
}
