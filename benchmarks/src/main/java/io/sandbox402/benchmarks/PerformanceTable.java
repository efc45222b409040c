package io.sandbox402.benchmarks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Issue 13's performance table in one command: every row measured against its anchor in the same run
 * (alternating rounds, medians), so the ratios hold on a noisy machine where absolute figures do not.
 * Progress goes to stderr, the markdown table to stdout. A row whose prerequisite is missing (node,
 * bwrap, the CLI jar) prints "n/a: why" and the others still run.
 *
 * <pre>{@code
 * mvn -o -q -B -pl benchmarks,code-interpreter-agent -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.sandbox402.benchmarks.PerformanceTable [--quick]
 *     [--only 1,4] [--cli-jar PATH] [--interop DIR]
 * }</pre>
 *
 * Run it from the repository root: the CLI jar and {@code interop/} are found from there.
 */
public final class PerformanceTable {
    /** How much each row measures; {@code --quick} trades rounds for a run under about 90 s. */
    record Settings(int signingRounds, int signingOps, int longRunPayments, int longRunCalls, int longRunRounds,
            int longRunCapSeconds, int longRunMeasureCapSeconds, int startupRounds, int startupMinRounds,
            int startupCapSeconds, int localExecRounds, int throughputCalls, int throughputRounds) {
        static final Settings FULL = new Settings(3, 400, 60_000, 2000, 5, 120, 6, 5, 3, 60, 15, 3000, 5);
        static final Settings QUICK = new Settings(2, 200, 10_000, 1000, 3, 20, 3, 3, 1, 25, 6, 1000, 3);
    }

    private PerformanceTable() {}

    public static void main(String[] args) {
        Settings settings = Settings.FULL;
        Path cliJar = Path.of("code-interpreter-agent/target/code-interpreter.jar");
        Path interop = Path.of("interop");
        Set<String> only = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = Settings.QUICK;
                case "--cli-jar" -> cliJar = Path.of(args[++i]);
                case "--interop" -> interop = Path.of(args[++i]);
                case "--only" -> only.addAll(List.of(args[++i].split(",")));
                default -> {
                    System.err.println("Unknown argument '" + args[i] + "'. Use [--quick] [--only 1,4] [--cli-jar PATH] [--interop DIR].");
                    System.exit(2);
                }
            }
        }
        Settings s = settings;
        Path cli = cliJar;
        Path nodeDir = interop;
        long started = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        rows.addAll(row(only, "1", "1. signing one EIP-3009 authorization", "≤ 0.25×",
                () -> List.of(new SigningRow(nodeDir, s.signingRounds(), s.signingOps()).measure())));
        rows.addAll(row(only, "2", "2./3. HTTP requests per paid call, fresh process", "1.00",
                () -> new RequestsPerCallRows(cli).measure()));
        rows.addAll(row(only, "4", "4. paid calls/s through one provider after many payments", "≥ 0.95×",
                () -> List.of(new LongRunRow(s.longRunPayments(), s.longRunCalls(), s.longRunRounds(),
                        s.longRunCapSeconds(), s.longRunMeasureCapSeconds()).measure())));
        rows.addAll(row(only, "5", "5./6. CLI `run` whole process", "≤ 0.20 s / ≤ 0.40 s",
                () -> new StartupRows(cli, s.startupRounds(), s.startupMinRounds(), s.startupCapSeconds()).measure()));
        rows.addAll(row(only, "7", "7. one local `runCode` through LocalProvider", "≤ 1.15×",
                () -> List.of(new LocalExecRow(s.localExecRounds()).measure())));
        rows.addAll(row(only, "8", "8. paid exec calls/s, 8 threads, loopback", "≥ 5,000/s",
                () -> List.of(new ThroughputRow(s.throughputCalls(), s.throughputRounds()).measure())));
        System.out.println("| what | anchor | anchor figure | ours | ratio | target |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(row -> System.out.println(row.markdown()));
        System.out.printf("%n%s, %s, %d cores, Java %s; %.0f s%n", Instant.now().toString().substring(0, 16) + " UTC",
                settings == Settings.QUICK ? "--quick" : "full run", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), (System.nanoTime() - started) / 1e9);
        System.exit(0); // a provider's non-daemon OkHttp threads must not keep a finished run alive
    }

    /** Runs one group of rows; a failure becomes an n/a row carrying its message, never a crash. */
    private static List<Row> row(Set<String> only, String key, String what, String target, Callable<List<Row>> measure) {
        if (!only.isEmpty() && !only.contains(key) && !(key.equals("2") && only.contains("3"))
                && !(key.equals("5") && only.contains("6"))) {
            return List.of();
        }
        long started = System.nanoTime();
        Bench.progress("row " + what + "...");
        try {
            List<Row> rows = measure.call();
            Bench.progress(String.format("row %s done in %.0f s", key, (System.nanoTime() - started) / 1e9));
            return rows;
        } catch (Exception | Error e) {
            Bench.progress("row " + key + " failed: " + e);
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return List.of(Row.notAvailable(what, "-", target, message));
        }
    }
}
