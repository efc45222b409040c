package io.sandbox402.agent;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * One run the model asked for.
 *
 * @param number 1 for the first run
 * @param tool the tool that ran it, for instance {@code run_code}
 * @param language {@code python}, {@code javascript}, {@code bash}, {@code shell} or {@code pip}
 * @param code what ran
 * @param sandboxId where it ran
 * @param stdout its output
 * @param stderr its error output
 * @param exitCode its exit code
 * @param duration how long it took
 * @param cost what the run cost in USD
 * @param timedOut whether it was stopped for running too long
 */
public record Step(
        int number,
        String tool,
        String language,
        String code,
        String sandboxId,
        String stdout,
        String stderr,
        int exitCode,
        Duration duration,
        BigDecimal cost,
        boolean timedOut) {}
