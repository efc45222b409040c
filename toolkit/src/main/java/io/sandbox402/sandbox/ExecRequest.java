package io.sandbox402.sandbox;

import static io.sandbox402.internal.Checks.ensureNotEmpty;
import static io.sandbox402.internal.Checks.ensurePositive;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A command to run in a sandbox: an argv (BlockRun rejects shell strings) and an optional timeout.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param command the program and its arguments; use {@link #shell(String)} for a shell script
 * @param timeout how long the command may run, or {@code null} for the provider's default
 */
public record ExecRequest(List<String> command, @Nullable Duration timeout) {

    /**
     * Copies the command.
     *
     * @param command the program and its arguments, not empty
     * @param timeout how long the command may run, positive, or {@code null} for the provider's default
     * @throws IllegalArgumentException when the command is empty or the timeout not positive
     */
    public ExecRequest {
        command = List.copyOf(ensureNotEmpty(command, "command"));
        if (timeout != null) {
            ensurePositive(timeout, "timeout");
        }
    }

    /**
     * A command with the provider's default timeout.
     *
     * @param argv the program and its arguments, not a shell string; not empty
     * @return the request
     */
    public static ExecRequest of(String... argv) {
        return new ExecRequest(List.of(argv), null);
    }

    /**
     * Runs {@code script} with {@code sh -c}, with the provider's default timeout.
     *
     * @param script a shell script: pipes, redirections and {@code &&} work
     * @return the request
     */
    public static ExecRequest shell(String script) {
        return new ExecRequest(List.of("sh", "-c", script), null);
    }

    /**
     * {@return this command with {@code timeout}, or with the provider's default for {@code null}}
     *
     * @param timeout positive, or {@code null}
     */
    public ExecRequest withTimeout(@Nullable Duration timeout) {
        return new ExecRequest(command, timeout);
    }
}
