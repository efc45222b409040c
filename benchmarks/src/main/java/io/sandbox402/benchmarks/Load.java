package io.sandbox402.benchmarks;

import io.sandbox402.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Exec calls on one sandbox from a fixed number of threads: the throughput rows' driver. */
final class Load {
    private Load() {}

    /** Runs {@code calls} execs (fewer if {@code deadlineNanos} passes first); returns calls per second. */
    static double callsPerSecond(Sandbox sandbox, int calls, int threads, long deadlineNanos) throws Exception {
        return run(sandbox, calls, threads, deadlineNanos).perSecond();
    }

    /** How many calls a run made, in how long. */
    record Done(int calls, long nanos) {
        double perSecond() {
            return calls / (nanos / 1e9);
        }
    }

    static Done run(Sandbox sandbox, int calls, int threads, long deadlineNanos) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "perf-load");
            thread.setDaemon(true);
            return thread;
        });
        try {
            long started = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < calls && System.nanoTime() < deadlineNanos) {
                        sandbox.exec("echo", Integer.toString(i));
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return new Done(done.get(), System.nanoTime() - started);
        } finally {
            pool.shutdownNow();
        }
    }

    static double callsPerSecond(Sandbox sandbox, int calls, int threads) throws Exception {
        return callsPerSecond(sandbox, calls, threads, Long.MAX_VALUE);
    }
}
