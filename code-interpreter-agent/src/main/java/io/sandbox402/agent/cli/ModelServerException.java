package io.sandbox402.agent.cli;

/** The model server could not be used; the message names the URL and what to check. */
final class ModelServerException extends RuntimeException {
    private final boolean configuration;

    ModelServerException(String message, boolean configuration, Throwable cause) {
        super(message, cause);
        this.configuration = configuration;
    }

    /** Whether the setup is wrong (exit 2) rather than the server failing now (exit 1). */
    boolean configuration() {
        return configuration;
    }
}
