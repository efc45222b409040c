package io.sandbox402.sandbox;

import static io.sandbox402.internal.Checks.ensureNotEmpty;

import java.time.Duration;
import java.util.List;

/**
 * A command to run in a sandbox: an argv (BlockRun rejects shell strings) and an optional timeout.
 *
 * @param command the program and its arguments; use {@link #shell(String)} for a shell script
 * @param timeout how long the command may run, or {@code null} for the provider's default
 */
public record ExecRequest(List<String> command, Duration timeout) {

    public ExecRequest {
        command = List.copyOf(ensureNotEmpty(command, "command"));
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    public static ExecRequest of(String... argv) {
        return new ExecRequest(List.of(argv), null);
    }

    /** Runs {@code script} with {@code sh -c}. */
    public static ExecRequest shell(String script) {
        return new ExecRequest(List.of("sh", "-c", script), null);
    }

    public ExecRequest withTimeout(Duration timeout) {
        return new ExecRequest(command, timeout);
    }
}
