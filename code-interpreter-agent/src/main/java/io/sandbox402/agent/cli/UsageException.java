package io.sandbox402.agent.cli;

/** A configuration or usage mistake the user can fix; exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
