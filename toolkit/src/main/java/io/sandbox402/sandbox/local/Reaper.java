package io.sandbox402.sandbox.local;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a provider's running sandboxes on one daemon thread, made when the first sandbox starts: every
 * second it checks each one's limits (its files' size), and it terminates a sandbox when its lifetime ends.
 * Thread-safe.
 */
final class Reaper {
    private ScheduledExecutorService scheduler;
    private boolean closed;

    /** Checks {@code sandbox}'s limits every second until it ends, and ends it after {@code lifetime} when one is given. */
    synchronized void watch(LocalSandbox sandbox, Duration lifetime) {
        if (closed) {
            return; // the provider is closing and terminates its sandboxes itself
        }
        ScheduledExecutorService scheduler = scheduler();
        ScheduledFuture<?> watchdog = scheduler.scheduleWithFixedDelay(sandbox::checkLimits, 1, 1, TimeUnit.SECONDS);
        sandbox.onTerminate(() -> watchdog.cancel(false));
        if (lifetime != null) {
            scheduler.schedule((Runnable) sandbox::terminate, lifetime.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the thread; watched sandboxes are the provider's to terminate. Idempotent. */
    synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "sandbox402-local-reaper");
                thread.setDaemon(true);
                return thread;
            });
        }
        return scheduler;
    }
}
