package io.sandbox402.sandbox.blockrun;

/**
 * BlockRun does not know the sandbox: it was terminated, timed out or never existed. Recognized from a
 * 404 and from the sandbox service's answer BlockRun passes through as {@code {"error":"Bad Request",
 * "details":...}}. Nothing was charged.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class SandboxNotFoundException extends BlockRunException {
    /**
     * A 404 for the sandbox.
     *
     * @param message which sandbox, and what to do
     */
    public SandboxNotFoundException(String message) {
        super(404, message);
    }

    /**
     * An unknown sandbox reported with another status, such as the sandbox service's 400.
     *
     * @param status the HTTP status BlockRun answered with
     * @param message which sandbox, and what to do
     */
    public SandboxNotFoundException(int status, String message) {
        super(status, message);
    }
}
