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
 * Row 8: paid exec calls per second from 8 threads on loopback (the emulator verifying every
 * payment, sandboxes that echo) against the same provider and HTTP stack unpaid ({@link
 * UnpaidBlockRun}: no 402, nothing signed or verified). A warm-up round, then alternating rounds.
 */
final class ThroughputRow {
    private static final int THREADS = 8;
    private static final BigDecimal PLENTY = new BigDecimal("1000000");
    /** The longest one measurement may take: fewer calls then, the rate is still calls over time. */
    private static final long CAP_NANOS = 10_000_000_000L;

    private final int calls;
    private final int rounds;

    ThroughputRow(int calls, int rounds) {
        this.calls = calls;
        this.rounds = rounds;
    }

    Row measure() throws Exception {
        try (BlockRunEmulator emulator = BlockRunEmulator.builder().provider(new EchoProvider()).defaultBalance(PLENTY)
                .build().start();
                UnpaidBlockRun unpaidServer = new UnpaidBlockRun();
                BlockRunProvider paid = provider(emulator.baseUrl());
                BlockRunProvider unpaid = provider(unpaidServer.baseUrl())) {
            Sandbox paidSandbox = paid.create(SandboxSpec.defaults());
            Sandbox unpaidSandbox = unpaid.create(SandboxSpec.defaults());
            List<Double> paidRates = new ArrayList<>();
            List<Double> unpaidRates = new ArrayList<>();
            for (int round = -1; round < rounds; round++) { // round -1 warms up
                double p;
                double u;
                if (round % 2 == 0) {
                    u = Load.callsPerSecond(unpaidSandbox, calls, THREADS, System.nanoTime() + CAP_NANOS);
                    p = Load.callsPerSecond(paidSandbox, calls, THREADS, System.nanoTime() + CAP_NANOS);
                } else {
                    p = Load.callsPerSecond(paidSandbox, calls, THREADS, System.nanoTime() + CAP_NANOS);
                    u = Load.callsPerSecond(unpaidSandbox, calls, THREADS, System.nanoTime() + CAP_NANOS);
                }
                Bench.progress(fmt("throughput round %d: paid %.0f, unpaid %.0f calls/s", round + 1, p, u));
                if (round >= 0) {
                    paidRates.add(p);
                    unpaidRates.add(u);
                }
            }
            paidSandbox.terminate();
            unpaidSandbox.terminate();
            double p = Bench.median(paidRates);
            double u = Bench.median(unpaidRates);
            return new Row(fmt("8. paid exec calls/s, %d threads, loopback (%,d calls × %d rounds)", THREADS, calls, rounds),
                    "the same provider and HTTP stack unpaid (JDK HttpServer, no x402)", fmt("%.0f calls/s", u),
                    fmt("%.0f calls/s", p), Bench.times(p / u), Bench.verdict("≥ 5,000/s", p >= 5000));
        }
    }

    private static BlockRunProvider provider(String apiUrl) {
        return BlockRunProvider.builder()
                .apiUrl(apiUrl)
                .wallet(Wallet.random())
                .policy(PaymentPolicy.builder().maxSessionCost(PLENTY).build())
                .shutdownHook(false)
                .build();
    }
}
