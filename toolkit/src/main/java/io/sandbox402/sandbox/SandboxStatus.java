package io.sandbox402.sandbox;

import static io.sandbox402.internal.Checks.ensureNotBlank;

import org.jspecify.annotations.Nullable;

/**
 * A sandbox's state as its provider reports it.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param sandboxId the sandbox
 * @param state the provider's word for it, for instance {@code running} or {@code terminated}
 * @param exitCode the exit code of the sandbox's main process when it has one, else {@code null}
 */
public record SandboxStatus(String sandboxId, String state, @Nullable Integer exitCode) {

    /** The state of a sandbox that accepts execs. */
    public static final String RUNNING = "running";
    /** The state of a sandbox that was terminated; it accepts no more execs. */
    public static final String TERMINATED = "terminated";

    /**
     * Checks that the id and state are given.
     *
     * @param sandboxId the sandbox, not blank
     * @param state the provider's word for it, not blank
     * @param exitCode the exit code of the sandbox's main process, or {@code null}
     */
    public SandboxStatus {
        ensureNotBlank(sandboxId, "sandboxId");
        ensureNotBlank(state, "state");
    }

    /** {@return whether the state is {@value #RUNNING}, ignoring case} */
    public boolean isRunning() {
        return RUNNING.equalsIgnoreCase(state);
    }
}
