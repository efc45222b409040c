package io.sandbox402.internal;

import org.jspecify.annotations.Nullable;

/**
 * A JVM shutdown hook that a resource registers when it opens and removes when it closes, so that
 * Ctrl-C or a crash still releases it (a sandbox left running costs money).
 *
 * <p>Thread-safe.
 */
public final class ShutdownHook {
    private final Thread thread;

    private ShutdownHook(Thread thread) {
        this.thread = thread;
    }

    /**
     * Registers {@code action} to run at JVM shutdown.
     *
     * @param enabled whether to register at all; callers pass their builder's option so tests can opt out
     * @param name the hook thread's name, shown in thread dumps taken during shutdown
     * @param action what releases the resource; it must be safe to run while the JVM exits
     * @return the registered hook, to pass to {@link #remove} on close; {@code null} when {@code enabled} is false
     */
    public static @Nullable ShutdownHook registerIf(boolean enabled, String name, Runnable action) {
        if (!enabled) {
            return null;
        }
        Thread thread = new Thread(action, name);
        Runtime.getRuntime().addShutdownHook(thread);
        return new ShutdownHook(thread);
    }

    /**
     * Removes the hook: the resource closed normally. Safe to call from the hook itself and during shutdown.
     *
     * @param hook the hook {@link #registerIf} returned; {@code null} (hooks disabled) does nothing
     */
    public static void remove(@Nullable ShutdownHook hook) {
        if (hook == null || Thread.currentThread() == hook.thread) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook.thread);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }
}
