package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.Usdc;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One report per command, whoever gets there first: the command when it ends, or a shutdown hook
 * when the user presses Ctrl-C (which terminates the sandboxes, then says what was spent, through
 * {@link #report}). Thread-safe: the hook runs on its own thread.
 */
final class Interruption implements AutoCloseable {
    /** The exit code of a process ended by SIGINT, as shells report it (128 + 2). */
    static final int EXIT_INTERRUPTED = 130;

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

    /**
     * What an interrupted command says: it terminates the sandboxes first (paid, on BlockRun), then
     * prints what was spent, on standard error and, with {@code --json}, as one JSON object.
     *
     * @param progress what was done, for instance {@code " after 2 steps"}, or empty
     * @param terminated what was terminated, for instance {@code "the sandbox was terminated"}
     * @param json the command's JSON object so far (its own fields first), or {@code null} without {@code --json}
     */
    static void report(SandboxSetup setup, String progress, String terminated, @Nullable ObjectNode json,
            PrintWriter out, PrintWriter err) {
        setup.close();
        String message = "interrupted" + progress + ", " + (setup.paid()
                ? Usdc.format(SandboxSetup.cost(setup.payments())) + " spent" : "nothing spent") + "; " + terminated;
        if (json != null) {
            json.put("error", message);
            json.put("exit_code", EXIT_INTERRUPTED);
            json.put("sandbox", setup.kind());
            Payments.put(json, setup);
            out.println(json);
            out.flush();
        }
        err.println();
        err.println(message);
        err.flush();
    }
}
