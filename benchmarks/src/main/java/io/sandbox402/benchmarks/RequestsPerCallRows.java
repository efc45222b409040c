package io.sandbox402.benchmarks;

import static io.sandbox402.benchmarks.Bench.fmt;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.EmulatorRequest;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.x402.Wallet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows 2 and 3: HTTP requests per paid call for a fresh process, counted on the log of an emulator
 * this JVM runs. Each session is a child JVM given {@code BLOCKRUN_API_URL} and
 * {@code BLOCKRUN_WALLET_KEY}: row 2 the CLI's one-shot {@code run --sandbox blockrun 'print(1)'}
 * (create, exec, terminate), row 3 {@link PaidSession} (create, 20 execs, terminate). Each runs twice,
 * one process after the other, sharing a quote cache ({@code SANDBOX402_QUOTE_CACHE}, a temporary
 * directory per row, never the user's), so the first process shows a cold start and the second the cache.
 * BlockRun's SDKs send every paid call twice (the 402, then the paid retry): the anchor, 2.0.
 */
final class RequestsPerCallRows {
    private static final String ANCHOR = "BlockRun's SDKs (402, then paid retry)";
    private static final String TARGET = "1.00";

    private final Path cliJar;

    RequestsPerCallRows(Path cliJar) {
        this.cliJar = cliJar;
    }

    List<Row> measure() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (BlockRunEmulator emulator = BlockRunEmulator.builder().provider(new EchoProvider()).build().start()) {
            Map<String, String> env = Map.of(BlockRunProvider.API_URL_VARIABLE, emulator.baseUrl(),
                    Wallet.KEY_VARIABLE, Bench.DEV_KEY,
                    // The defaults, whatever this shell has set.
                    "BLOCKRUN_MAX_COST_PER_CALL", "0.05", "BLOCKRUN_MAX_SESSION_COST", "1.00");
            List<String> oneShot;
            String how;
            if (Files.isRegularFile(cliJar)) {
                oneShot = List.of(Bench.java(), "-jar", cliJar.toString(), "run", "--sandbox", "blockrun", "print(1)");
                how = "CLI `run`";
            } else {
                oneShot = paidSession(1);
                how = "PaidSession 1 (no CLI jar at " + cliJar + ")";
            }
            rows.add(row("2. HTTP requests per paid call, one-shot `run` (create, exec, terminate), fresh process",
                    emulator, oneShot, env, how));
            rows.add(row("3. HTTP requests per paid call, create + 20 execs + terminate, fresh process",
                    emulator, paidSession(20), env, "PaidSession 20"));
        }
        return rows;
    }

    private static List<String> paidSession(int execs) {
        return List.of(Bench.java(), "-cp", System.getProperty("java.class.path"), PaidSession.class.getName(),
                Integer.toString(execs));
    }

    private static Row row(String what, BlockRunEmulator emulator, List<String> command, Map<String, String> baseEnv,
            String how) throws Exception {
        Path cache = Files.createTempDirectory("sandbox402-quotes-");
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("SANDBOX402_QUOTE_CACHE", cache.toString());
        try {
            return measure(what, emulator, command, env, how);
        } finally {
            try (var files = Files.walk(cache)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Row measure(String what, BlockRunEmulator emulator, List<String> command, Map<String, String> env,
            String how) throws Exception {
        List<String> figures = new ArrayList<>();
        double perCallOfLast = 0;
        for (String process : List.of("1st", "2nd")) {
            int before = emulator.requests().size();
            Bench.run(command, env, Duration.ofMinutes(2)).ok(command);
            List<EmulatorRequest> log = emulator.requests();
            List<EmulatorRequest> session = log.subList(before, log.size());
            long paidCalls = session.stream().filter(r -> r.paid() && r.status() < 400).count();
            if (paidCalls == 0) {
                throw new IllegalStateException("no paid call reached the emulator: " + session);
            }
            double perCall = (double) session.size() / paidCalls;
            perCallOfLast = perCall;
            figures.add(fmt("%s process %.2f (%d requests / %d paid calls)", process, perCall, session.size(), paidCalls));
            Bench.progress(what.substring(0, 2) + " " + figures.get(figures.size() - 1));
        }
        // The target is the second process's: the first has no quote yet, and asks each price once.
        return new Row(what, ANCHOR, "2.00", String.join("; ", figures) + "; " + how + "; quote cache shared by both",
                Bench.times(perCallOfLast / 2.0), Bench.verdict(TARGET, perCallOfLast <= 1.0));
    }
}
