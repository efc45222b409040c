package io.sandbox402.agent;

/**
 * A task failed before the model answered (the model could not be reached, or failed). Every sandbox
 * was terminated all the same; {@link #partial()} has the runs made before the failure.
 */
public class CodeInterpreterException extends RuntimeException {
    private final transient Solution partial;

    public CodeInterpreterException(String message, Solution partial, Throwable cause) {
        super(message, cause);
        this.partial = partial;
    }

    public Solution partial() {
        return partial;
    }
}
