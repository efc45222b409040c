package io.sandbox402.agent;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.sandbox.ExecResult;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * One run the model asked for: what ran, where, and its {@link ExecResult}. Immutable, so
 * thread-safe.
 *
 * @param number 1 for the first run
 * @param tool the tool that ran it, for instance {@code run_code}
 * @param language {@code python}, {@code javascript}, {@code bash}, {@code shell} or {@code pip}
 * @param code what ran
 * @param sandboxId where it ran
 * @param result what the sandbox answered: output, exit code, duration, cost
 */
public record Step(int number, String tool, String language, String code, String sandboxId, ExecResult result) {

    /**
     * Checks that every part is there.
     *
     * @param number 1 for the first run
     * @param tool the tool that ran it, not null
     * @param language the language, not null
     * @param code what ran, not null
     * @param sandboxId where it ran, not null
     * @param result what the sandbox answered, not null
     * @throws IllegalArgumentException when a part is null
     */
    public Step {
        ensureNotNull(tool, "tool");
        ensureNotNull(language, "language");
        ensureNotNull(code, "code");
        ensureNotNull(sandboxId, "sandboxId");
        ensureNotNull(result, "result");
    }

    /** {@return its standard output} */
    public String stdout() {
        return result.stdout();
    }

    /** {@return its error output} */
    public String stderr() {
        return result.stderr();
    }

    /** {@return its exit code} */
    public int exitCode() {
        return result.exitCode();
    }

    /** {@return how long it took} */
    public Duration duration() {
        return result.duration();
    }

    /** {@return what the run cost in US dollars} */
    public BigDecimal cost() {
        return result.cost();
    }

    /** {@return whether it was stopped for running too long} */
    public boolean timedOut() {
        return result.timedOut();
    }
}
