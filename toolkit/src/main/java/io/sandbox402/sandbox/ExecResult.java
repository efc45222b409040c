package io.sandbox402.sandbox;

import static io.sandbox402.internal.Checks.ensureNotNull;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What a command did.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param stdout what it printed, possibly truncated (see {@code truncated})
 * @param stderr what it printed on the error stream
 * @param exitCode its exit code; by convention 124 when it timed out
 * @param duration how long the call took, as the caller saw it
 * @param cost what the call cost in USD ({@code 0} when it was not paid)
 * @param timedOut whether it was stopped for running too long
 * @param truncated whether output was cut because it was too long
 */
public record ExecResult(
        String stdout,
        String stderr,
        int exitCode,
        Duration duration,
        BigDecimal cost,
        boolean timedOut,
        boolean truncated) {

    /** The exit code of a command stopped for running too long, as GNU {@code timeout} reports it. */
    public static final int TIMEOUT_EXIT_CODE = 124;

    /**
     * Replaces a {@code null} output with an empty one and a {@code null} cost with zero.
     *
     * @param stdout what it printed, or {@code null} for nothing
     * @param stderr what it printed on the error stream, or {@code null} for nothing
     * @param exitCode its exit code
     * @param duration how long the call took, not {@code null}
     * @param cost what the call cost in USD, not negative; {@code null} for nothing
     * @param timedOut whether it was stopped for running too long
     * @param truncated whether output was cut because it was too long
     */
    public ExecResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
        ensureNotNull(duration, "duration");
        cost = cost == null ? BigDecimal.ZERO : cost;
        if (cost.signum() < 0) {
            throw new IllegalArgumentException("cost cannot be negative, was " + cost);
        }
    }

    /**
     * The result of an unpaid command that ran to its end, its output whole.
     *
     * @param stdout what it printed
     * @param stderr what it printed on the error stream
     * @param exitCode its exit code
     * @param duration how long it took
     * @return the result
     */
    public static ExecResult of(String stdout, String stderr, int exitCode, Duration duration) {
        return new ExecResult(stdout, stderr, exitCode, duration, BigDecimal.ZERO, false, false);
    }

    /**
     * The result of an unpaid command stopped for running too long: exit code {@value #TIMEOUT_EXIT_CODE}.
     *
     * @param stdout what it printed before it was stopped
     * @param stderr what it printed on the error stream before it was stopped
     * @param duration how long it ran
     * @return the result
     */
    public static ExecResult timedOut(String stdout, String stderr, Duration duration) {
        return new ExecResult(stdout, stderr, TIMEOUT_EXIT_CODE, duration, BigDecimal.ZERO, true, false);
    }

    /** {@return whether the command exited with 0 before its timeout} */
    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /**
     * {@return this result with another cost}
     *
     * @param cost what the call cost in USD, not negative
     */
    public ExecResult withCost(BigDecimal cost) {
        return new ExecResult(stdout, stderr, exitCode, duration, cost, timedOut, truncated);
    }
}
