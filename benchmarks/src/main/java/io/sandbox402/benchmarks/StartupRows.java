package io.sandbox402.benchmarks;

import static io.sandbox402.benchmarks.Bench.fmt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Rows 5 and 6: the CLI as a user starts it, whole process wall time, medians of rounds in which
 * every variant runs once in turn. Row 5, {@code run --sandbox local 'print(1)'}, against
 * {@code python3 -c 'print(1)'} and the same in a bare bubblewrap jail; row 6, {@code run --sandbox
 * emulator 'print(1)'}, against {@code java -jar code-interpreter.jar --version} (the JVM and picocli,
 * no sandbox). Both through the README's launcher {@code bin/code-interpreter} (AppCDS archive dumped
 * by its first run, which is not timed, in a temporary cache; C1 only; serial GC), and with plain
 * {@code java -jar} (row 6b).
 */
final class StartupRows {
    private static final String LOCAL = "5. `run --sandbox local 'print(1)'`, whole process";
    private static final String EMULATOR = "6. `run --sandbox emulator 'print(1)'`, whole process";

    /** The README's command, from the repository root. */
    private static final Path LAUNCHER = Path.of("bin", "code-interpreter");

    private final Path cliJar;
    private final int rounds;
    private final int minRounds;
    private final long capNanos;

    /** Runs {@code rounds} rounds, or fewer but at least {@code minRounds} once {@code capSeconds} have passed. */
    StartupRows(Path cliJar, int rounds, int minRounds, long capSeconds) {
        this.cliJar = cliJar;
        this.rounds = rounds;
        this.minRounds = minRounds;
        this.capNanos = capSeconds * 1_000_000_000L;
    }

    List<Row> measure() throws Exception {
        if (!Files.isRegularFile(cliJar)) {
            String why = "no CLI jar at " + cliJar + " (mvn -o -q -B -pl code-interpreter-agent -am package -DskipTests)";
            return List.of(Row.notAvailable(LOCAL, "python3 / bare bwrap", "≤ 0.20 s", why),
                    Row.notAvailable(EMULATOR, "`--version`", "≤ 0.40 s", why));
        }
        Path bwrap = Bench.onPath("bwrap");
        if (bwrap == null) {
            String why = "bwrap not found on PATH (the emulator's default sandboxes run in it too)";
            return List.of(Row.notAvailable(LOCAL, "python3 / bare bwrap", "≤ 0.20 s", why),
                    Row.notAvailable(EMULATOR, "`--version`", "≤ 0.40 s", why));
        }
        String python = Bench.realPython();
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("python3", List.of(python, "-c", "print(1)"));
        variants.put("bwrap", List.of(bwrap.toString(), "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", python, "-c", "print(1)"));
        variants.put("local", cli(List.of(), "local"));
        variants.put("version", List.of(Bench.java(), "-jar", cliJar.toString(), "--version"));
        variants.put("emulator", cli(List.of(), "emulator"));
        Path cache = Files.createTempDirectory("sandbox402-launcher-cache");
        Map<String, String> launcherEnv = Map.of("SANDBOX402_CLI_JAR", cliJar.toAbsolutePath().toString(),
                "XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", System.getProperty("java.home"));
        String cdsWhy = Files.isRegularFile(LAUNCHER) ? makeLauncherArchive(launcherEnv, cache)
                : "no launcher at " + LAUNCHER.toAbsolutePath() + " (run from the repository root)";
        if (cdsWhy == null) {
            variants.put("local+launcher", launcher("local"));
            variants.put("emulator+launcher", launcher("emulator"));
        }
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        long deadline = System.nanoTime() + capNanos;
        for (int round = 0; round < rounds && (round < minRounds || System.nanoTime() < deadline); round++) {
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                Map<String, String> env = variant.getKey().endsWith("+launcher") ? launcherEnv : Map.of();
                Bench.Exit exit = Bench.run(variant.getValue(), env, Duration.ofMinutes(2)).ok(variant.getValue());
                seconds.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(exit.seconds());
            }
            Bench.progress("startup round " + (round + 1) + ": " + seconds);
        }
        List<Row> rows = new ArrayList<>();
        String n = " (median of " + seconds.get("python3").size() + ")";
        double py = Bench.median(seconds.get("python3"));
        double jail = Bench.median(seconds.get("bwrap"));
        double localJar = Bench.median(seconds.get("local"));
        double version = Bench.median(seconds.get("version"));
        double emulatorJar = Bench.median(seconds.get("emulator"));
        // Ours is what the README tells users to run: the launcher when it could be measured.
        double local = cdsWhy == null ? Bench.median(seconds.get("local+launcher")) : localJar;
        double emulator = cdsWhy == null ? Bench.median(seconds.get("emulator+launcher")) : emulatorJar;
        String how = cdsWhy == null ? " (`bin/code-interpreter`)" : " (`java -jar`)";
        rows.add(new Row(LOCAL + n, "`python3 -c 'print(1)'` / the same in a bare `bwrap` jail",
                fmt("%.3f s / %.3f s", py, jail), fmt("%.3f s", local) + how,
                Bench.times(local / py) + " / " + Bench.times(local / jail), Bench.verdict("≤ 0.20 s", local <= 0.20)));
        rows.add(new Row(EMULATOR + n, "`java -jar code-interpreter.jar --version` (JVM + CLI, no sandbox)",
                fmt("%.3f s", version), fmt("%.3f s", emulator) + how, Bench.times(emulator / version),
                Bench.verdict("≤ 0.40 s", emulator <= 0.40)));
        String cdsWhat = "6b. `bin/code-interpreter` (AppCDS, C1, serial GC) against `java -jar`: local / emulator";
        if (cdsWhy != null) {
            rows.add(Row.notAvailable(cdsWhat, "`java -jar`", "informs shipping CDS", cdsWhy));
        } else {
            rows.add(new Row(cdsWhat + n, "`java -jar code-interpreter.jar run ...`", fmt("%.3f s / %.3f s", localJar, emulatorJar),
                    fmt("%.3f s / %.3f s", local, emulator),
                    Bench.times(local / localJar) + " / " + Bench.times(emulator / emulatorJar), "informs shipping CDS"));
        }
        deleteRecursively(cache);
        return rows;
    }

    private static List<String> launcher(String sandbox) {
        return List.of("sh", LAUNCHER.toString(), "run", "--sandbox", sandbox, "print(1)");
    }

    private List<String> cli(List<String> jvmOptions, String sandbox) {
        List<String> command = new ArrayList<>(List.of(Bench.java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", cliJar.toString(), "run", "--sandbox", sandbox, "print(1)"));
        return command;
    }

    /** The launcher's first emulator run, which dumps its archive; returns why it failed, or null. */
    private static String makeLauncherArchive(Map<String, String> env, Path cache) {
        List<String> command = launcher("emulator");
        try {
            Bench.run(command, env, Duration.ofMinutes(2)).ok(command);
            try (Stream<Path> files = Files.list(cache.resolve("sandbox402"))) {
                return files.anyMatch(file -> file.toString().endsWith(".jsa")) ? null
                        : "the launcher left no archive in " + cache;
            }
        } catch (Exception e) {
            return "the launcher's first run failed: " + e.getMessage();
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
