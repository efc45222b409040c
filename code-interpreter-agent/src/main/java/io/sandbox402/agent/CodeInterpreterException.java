package io.sandbox402.agent;

import static io.sandbox402.internal.Checks.ensureNotNull;

import org.jspecify.annotations.Nullable;

/**
 * A task failed before the model answered (the model could not be reached, or failed). Every sandbox
 * was terminated all the same; {@link #partial()} has the runs made before the failure. Immutable
 * once thrown, so thread-safe.
 */
public class CodeInterpreterException extends RuntimeException {
    private final transient Solution partial;

    /**
     * @param message what failed, standing alone
     * @param partial the task as far as it went: its runs, cost and sandboxes, with outcome {@link Solution.Outcome#FAILED}
     * @param cause what failed, or {@code null}
     */
    public CodeInterpreterException(String message, Solution partial, @Nullable Throwable cause) {
        super(message, cause);
        this.partial = ensureNotNull(partial, "partial");
    }

    /** {@return the task as far as it went: the runs made before the failure, what they cost, the sandboxes (terminated)} */
    public Solution partial() {
        return partial;
    }
}
