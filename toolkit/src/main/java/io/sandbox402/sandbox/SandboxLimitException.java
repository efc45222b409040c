package io.sandbox402.sandbox;

/**
 * A request exceeds what the provider accepts (command size, exec timeout, sandbox size or lifetime).
 * It is raised before anything is sent, so nothing was paid; the message names the limit and what to
 * do instead.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class SandboxLimitException extends SandboxException {
    /** @param message what exceeds which limit, and what to do */
    public SandboxLimitException(String message) {
        super(message);
    }
}
