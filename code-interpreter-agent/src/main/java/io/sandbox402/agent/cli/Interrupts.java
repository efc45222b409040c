package io.sandbox402.agent.cli;

/**
 * Ctrl-C for an interactive command: while it runs, SIGINT calls a handler (which cancels the
 * running turn) instead of ending the JVM. Uses {@code sun.misc.Signal}, the JDK's only way; where it
 * is missing, Ctrl-C keeps its default (the shutdown hooks still terminate the sandboxes).
 */
final class Interrupts {
    private Interrupts() {}

    /** Installs {@code handler} for SIGINT; returns what to pass to {@link #restore}. */
    static Object cancelOnInterrupt(Runnable handler) {
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> handler.run());
        } catch (IllegalArgumentException | LinkageError e) {
            return null;
        }
    }

    static void restore(Object previous) {
        if (previous instanceof sun.misc.SignalHandler handler) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
            } catch (IllegalArgumentException e) {
                // leave it
            }
        }
    }
}
