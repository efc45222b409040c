package io.sandbox402.sandbox.blockrun;

/**
 * BlockRun's sandbox integration is paused or not configured (503): nothing ran and nothing was charged.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class ServiceUnavailableException extends BlockRunException {
    /** @param message what happened and what to do */
    public ServiceUnavailableException(String message) {
        super(503, message);
    }
}
