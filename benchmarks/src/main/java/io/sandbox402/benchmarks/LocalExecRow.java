package io.sandbox402.benchmarks;

import static io.sandbox402.benchmarks.Bench.fmt;

import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.local.LocalProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Row 7: one {@code runCode(PYTHON, "print(1)")} on a local sandbox already created, in this JVM,
 * against the floor any sandbox pays: a plain python3 subprocess printing 1 (the real binary, past
 * shims). Alternating, two warm-ups each, medians.
 */
final class LocalExecRow {
    private static final String WHAT = "7. one local `runCode(PYTHON, \"print(1)\")` through LocalProvider, in-JVM";
    private static final String ANCHOR = "plain `python3 -c 'print(1)'` subprocess (ProcessBuilder)";
    private static final String TARGET = "≤ 1.15×";

    private final int rounds;

    LocalExecRow(int rounds) {
        this.rounds = rounds;
    }

    Row measure() throws Exception {
        try (LocalProvider provider = LocalProvider.builder().shutdownHook(false).build()) {
            if (!provider.isAvailable()) {
                return Row.notAvailable(WHAT, ANCHOR, TARGET, provider.description());
            }
            String python = Bench.realPython();
            List<String> plain = List.of(python, "-c", "print(1)");
            try (Sandbox sandbox = provider.create(SandboxSpec.defaults())) {
                List<Double> ours = new ArrayList<>();
                List<Double> anchor = new ArrayList<>();
                for (int round = -2; round < rounds; round++) { // two warm-up rounds
                    double a;
                    double o;
                    if (round % 2 == 0) {
                        a = plainSeconds(plain);
                        o = runCodeSeconds(sandbox);
                    } else {
                        o = runCodeSeconds(sandbox);
                        a = plainSeconds(plain);
                    }
                    if (round >= 0) {
                        ours.add(o);
                        anchor.add(a);
                    }
                }
                double o = Bench.median(ours);
                double a = Bench.median(anchor);
                Bench.progress(fmt("local exec: runCode %.1f ms, python3 %.1f ms (medians of %d)", o * 1e3, a * 1e3, rounds));
                return new Row(WHAT + " (median of " + rounds + ")", ANCHOR, fmt("%.1f ms", a * 1e3), fmt("%.1f ms", o * 1e3),
                        Bench.times(o / a), Bench.verdict(TARGET, o / a <= 1.15));
            }
        }
    }

    private static double runCodeSeconds(Sandbox sandbox) {
        long started = System.nanoTime();
        ExecResult result = sandbox.runCode(Language.PYTHON, "print(1)");
        long nanos = System.nanoTime() - started;
        if (result.exitCode() != 0 || !result.stdout().strip().equals("1")) {
            throw new IllegalStateException("runCode printed " + result.stdout() + result.stderr() + ", exit " + result.exitCode());
        }
        return nanos / 1e9;
    }

    private static double plainSeconds(List<String> command) throws Exception {
        return Bench.run(command, Map.of(), Duration.ofMinutes(1)).ok(command).seconds();
    }
}
