package io.sandbox402.agent.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One report per command, whoever gets there first: the command when it ends, or a shutdown hook
 * when the user presses Ctrl-C (which terminates the sandboxes, then says what was spent).
 */
final class Interruption implements AutoCloseable {
    private final AtomicBoolean reported = new AtomicBoolean();
    private final Thread hook;

    Interruption(Runnable onInterrupt) {
        this.hook = new Thread(() -> {
            if (reported.compareAndSet(false, true)) {
                onInterrupt.run();
            }
        }, "code-interpreter-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether the caller may report: false once the interrupt has. */
    boolean claim() {
        return reported.compareAndSet(false, true);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs or ran
        }
    }
}
