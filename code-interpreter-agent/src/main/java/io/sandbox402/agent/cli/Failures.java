package io.sandbox402.agent.cli;

import io.sandbox402.agent.CodeInterpreterException;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.x402.PaymentRefusedException;
import picocli.CommandLine;

/** What a failure means to the user: its exit code and its message, decided from its type. */
final class Failures {
    private Failures() {}

    static int exitCode(Throwable e) {
        Throwable cause = root(e);
        if (cause instanceof PaymentRefusedException) {
            return Main.EXIT_PAYMENT_REFUSED;
        }
        if (cause instanceof UsageException || cause instanceof CommandLine.ParameterException) {
            return Main.EXIT_USAGE;
        }
        if (cause instanceof ModelServerException model) {
            return model.configuration() ? Main.EXIT_USAGE : Main.EXIT_FAILED;
        }
        return Main.EXIT_FAILED;
    }

    /** The failure the user can act on: the model server's or the sandbox's, not the agent's wrapper. */
    static Throwable root(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ModelServerException || cause instanceof PaymentRefusedException
                    || cause instanceof UsageException || cause instanceof CommandLine.ParameterException) {
                return cause;
            }
        }
        return e;
    }

    static String message(Throwable e) {
        Throwable cause = root(e);
        if (e instanceof CodeInterpreterException && cause != e) {
            int runs = ((CodeInterpreterException) e).partial().steps().size();
            return Secrets.mask(cause.getMessage()) + (runs == 0 ? "" : " (after " + Progress.plural(runs, "run")
                    + "; every sandbox was terminated)");
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            message = cause.toString();
        } else if (!(cause instanceof UsageException || cause instanceof SandboxException
                || cause instanceof io.sandbox402.x402.PaymentException || cause instanceof ModelServerException
                || cause instanceof CodeInterpreterException || cause instanceof CommandLine.ParameterException)) {
            message = cause.getClass().getSimpleName() + ": " + message;
        }
        return Secrets.mask(message);
    }
}
