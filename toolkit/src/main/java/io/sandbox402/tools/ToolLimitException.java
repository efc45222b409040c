package io.sandbox402.tools;

/** A limit the model cannot override was reached; its message is written for the model. */
final class ToolLimitException extends RuntimeException {
    ToolLimitException(String message) {
        super(message, null, false, false);
    }
}
