package io.sandbox402.benchmarks;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.Wallet;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A load run of paid exec calls against the emulator on loopback, with and without pre-payment, in
 * one run: the figure to report is the ratio of the two. The emulator's sandboxes echo at once, so
 * what is measured is HTTP, x402 signing and verification. Bounded: a fixed number of calls.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.sandbox402.benchmarks.PrepaymentLoad [calls] [threads]}
 */
public final class PrepaymentLoad {
    record Figures(String name, double callsPerSecond, double requestsPerCall, double p50Millis, double p99Millis) {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        try (BlockRunEmulator emulator = BlockRunEmulator.builder().provider(new EchoProvider()).build().start()) {
            List<Figures> figures = new ArrayList<>();
            for (int round = 0; round < 2; round++) { // the first round warms the JIT up; the second is reported
                Figures twoTrips = run(emulator, false, calls, threads);
                Figures oneTrip = run(emulator, true, calls, threads);
                if (round == 1) {
                    figures.add(twoTrips);
                    figures.add(oneTrip);
                }
            }
            for (Figures f : figures) {
                System.out.printf(Locale.ROOT, "%-22s %8.0f calls/s  %.2f HTTP requests/call  p50 %.2f ms  p99 %.2f ms%n",
                        f.name(), f.callsPerSecond(), f.requestsPerCall(), f.p50Millis(), f.p99Millis());
            }
            System.out.printf(Locale.ROOT, "pre-payment / baseline: throughput x%.2f, p50 latency x%.2f (%d calls, %d threads)%n",
                    figures.get(1).callsPerSecond() / figures.get(0).callsPerSecond(),
                    figures.get(1).p50Millis() / figures.get(0).p50Millis(), calls, threads);
        }
    }

    static Figures run(BlockRunEmulator emulator, boolean prepayment, int calls, int threads) throws Exception {
        try (BlockRunProvider provider = BlockRunProvider.builder()
                .apiUrl(emulator.baseUrl())
                .wallet(Wallet.random())
                .policy(PaymentPolicy.builder().maxSessionCost(new BigDecimal("1000")).build())
                .prepayment(prepayment)
                .shutdownHook(false)
                .build()) {
            Sandbox sandbox = provider.create(SandboxSpec.defaults());
            sandbox.exec("warm", "up");
            int requestsBefore = emulator.requests().size();
            long[] latencies = new long[calls];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long started = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    sandbox.exec("echo", Integer.toString(index));
                    latencies[index] = System.nanoTime() - t0;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();
            int requests = emulator.requests().size() - requestsBefore;
            sandbox.terminate();
            Arrays.sort(latencies);
            return new Figures(prepayment ? "pre-payment (1 trip)" : "baseline (2 trips)", calls / seconds,
                    (double) requests / calls, latencies[calls / 2] / 1e6, latencies[(int) (calls * 0.99)] / 1e6);
        }
    }
}
