package io.sandbox402.benchmarks;

import static io.sandbox402.benchmarks.Bench.fmt;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.Wallet;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Row 4: does a provider slow down as it pays (a growing ledger, a growing quote map)? One provider
 * is measured fresh, then pays {@code payments} times (bounded also by a time cap, the count reached
 * is reported), then is measured again, alternating with a fresh provider on the same emulator: the
 * emulator's own logs grow too, so the fresh provider measured after is the fair anchor. The
 * emulator's sandboxes echo at once ({@link EchoProvider}), so calls are cheap.
 */
final class LongRunRow {
    private static final String TARGET = "≥ 0.95×";
    private static final int THREADS = 8;
    private static final BigDecimal PLENTY = new BigDecimal("1000000");

    private final int payments;
    private final int callsPerMeasure;
    private final int rounds;
    private final long capNanos;
    private final long measureCapNanos;

    /**
     * @param capSeconds the longest the paying phase may take
     * @param measureCapSeconds the longest one measurement may take (fewer calls then)
     */
    LongRunRow(int payments, int callsPerMeasure, int rounds, long capSeconds, long measureCapSeconds) {
        this.payments = payments;
        this.callsPerMeasure = callsPerMeasure;
        this.rounds = rounds;
        this.capNanos = capSeconds * 1_000_000_000L;
        this.measureCapNanos = measureCapSeconds * 1_000_000_000L;
    }

    private double rate(Sandbox sandbox) throws Exception {
        return Load.callsPerSecond(sandbox, callsPerMeasure, THREADS, System.nanoTime() + measureCapNanos);
    }

    Row measure() throws Exception {
        String what = fmt("4. paid calls/s through one provider after %,d payments (%d threads)", payments, THREADS);
        try (BlockRunEmulator emulator = BlockRunEmulator.builder().provider(new EchoProvider()).defaultBalance(PLENTY)
                .build().start();
                BlockRunProvider aged = provider(emulator)) {
            try (BlockRunProvider warm = provider(emulator)) { // JIT and emulator warm-up, not reported
                Sandbox sandbox = warm.create(SandboxSpec.defaults());
                rate(sandbox);
                sandbox.terminate();
            }
            Sandbox agedSandbox = aged.create(SandboxSpec.defaults());
            agedSandbox.exec("warm", "up");
            Load.Done first = Load.run(agedSandbox, callsPerMeasure, THREADS, System.nanoTime() + measureCapNanos);
            double whenNew = first.perSecond();
            Bench.progress(fmt("long run: new provider %.0f calls/s; paying %,d times (cap %d s)", whenNew, payments,
                    capNanos / 1_000_000_000L));
            long started = System.nanoTime();
            int before = 2 + first.calls(); // create, the warm-up exec, the first measurement
            Load.Done bulk = Load.run(agedSandbox, payments - before, THREADS, started + capNanos);
            boolean capped = System.nanoTime() - started >= capNanos;
            int paid = before + bulk.calls();
            Bench.progress(fmt("long run: %,d payments in %.0f s", paid, (System.nanoTime() - started) / 1e9));
            List<Double> agedFigures = new ArrayList<>();
            List<Double> freshFigures = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                try (BlockRunProvider fresh = provider(emulator)) {
                    Sandbox sandbox = fresh.create(SandboxSpec.defaults());
                    // Its connections and first quote, as the aged one has them: not measured.
                    Load.callsPerSecond(sandbox, 10 * THREADS, THREADS);
                    if (round % 2 == 0) {
                        agedFigures.add(rate(agedSandbox));
                        freshFigures.add(rate(sandbox));
                    } else {
                        freshFigures.add(rate(sandbox));
                        agedFigures.add(rate(agedSandbox));
                    }
                    sandbox.terminate();
                }
                Bench.progress(fmt("long run round %d: aged %.0f, fresh %.0f calls/s", round + 1,
                        agedFigures.get(round), freshFigures.get(round)));
            }
            agedSandbox.terminate();
            double agedRate = Bench.median(agedFigures);
            double freshRate = Bench.median(freshFigures);
            double ratio = agedRate / freshRate;
            if (capped && paid < payments) {
                what = fmt("4. paid calls/s through one provider after %,d payments (%,d asked; time cap) (%d threads)",
                        paid, payments, THREADS);
            }
            return new Row(what, "a fresh provider, same emulator, alternating",
                    fmt("%.0f calls/s (this provider when new: %.0f)", freshRate, whenNew),
                    fmt("%.0f calls/s (%,d ledger entries at the end)", agedRate, aged.ledger().count()),
                    Bench.times(ratio), Bench.verdict(TARGET, ratio >= 0.95));
        }
    }

    private static BlockRunProvider provider(BlockRunEmulator emulator) {
        return BlockRunProvider.builder()
                .apiUrl(emulator.baseUrl())
                .wallet(Wallet.random())
                .policy(PaymentPolicy.builder().maxSessionCost(PLENTY).build())
                .shutdownHook(false)
                .build();
    }
}
