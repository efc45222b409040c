package io.sandbox402.benchmarks;

import static io.sandbox402.benchmarks.Bench.fmt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows 5 and 6: the CLI as a user starts it, whole process wall time, medians of rounds in which
 * every variant runs once in turn. Row 5, {@code run --sandbox local 'print(1)'}, against
 * {@code python3 -c 'print(1)'} and the same in a bare bubblewrap jail; row 6, {@code run --sandbox
 * emulator 'print(1)'}, against {@code --version} (the JVM and picocli, no sandbox). Both again with
 * an AppCDS archive made once by an emulator run with {@code -XX:ArchiveClassesAtExit}.
 */
final class StartupRows {
    private static final String LOCAL = "5. `run --sandbox local 'print(1)'`, whole process";
    private static final String EMULATOR = "6. `run --sandbox emulator 'print(1)'`, whole process";

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
        Path archive = Files.createTempFile("sandbox402-cli", ".jsa");
        Files.delete(archive); // the JVM writes it
        try {
            Map<String, List<String>> variants = new LinkedHashMap<>();
            variants.put("python3", List.of(python, "-c", "print(1)"));
            variants.put("bwrap", List.of(bwrap.toString(), "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
                    "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", python, "-c", "print(1)"));
            variants.put("local", cli(List.of(), "local"));
            variants.put("version", List.of(Bench.java(), "-jar", cliJar.toString(), "--version"));
            variants.put("emulator", cli(List.of(), "emulator"));
            String cdsWhy = makeArchive(archive);
            if (cdsWhy == null) {
                List<String> cds = List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
                variants.put("local+cds", cli(cds, "local"));
                variants.put("emulator+cds", cli(cds, "emulator"));
            }
            Map<String, List<Double>> seconds = new LinkedHashMap<>();
            long deadline = System.nanoTime() + capNanos;
            for (int round = 0; round < rounds && (round < minRounds || System.nanoTime() < deadline); round++) {
                for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                    Bench.Exit exit = Bench.run(variant.getValue(), Map.of(), Duration.ofMinutes(2)).ok(variant.getValue());
                    seconds.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(exit.seconds());
                }
                Bench.progress("startup round " + (round + 1) + ": " + seconds);
            }
            List<Row> rows = new ArrayList<>();
            String n = " (median of " + seconds.get("python3").size() + ")";
            double py = Bench.median(seconds.get("python3"));
            double jail = Bench.median(seconds.get("bwrap"));
            double local = Bench.median(seconds.get("local"));
            rows.add(new Row(LOCAL + n, "`python3 -c 'print(1)'` / the same in a bare `bwrap` jail",
                    fmt("%.3f s / %.3f s", py, jail), fmt("%.3f s", local),
                    Bench.times(local / py) + " / " + Bench.times(local / jail), Bench.verdict("≤ 0.20 s", local <= 0.20)));
            double version = Bench.median(seconds.get("version"));
            double emulator = Bench.median(seconds.get("emulator"));
            rows.add(new Row(EMULATOR + n, "`code-interpreter --version` (JVM + CLI, no sandbox)", fmt("%.3f s", version),
                    fmt("%.3f s", emulator), Bench.times(emulator / version), Bench.verdict("≤ 0.40 s", emulator <= 0.40)));
            String cdsWhat = "6b. AppCDS (`-XX:SharedArchiveFile`, archive from one emulator run): local / emulator";
            if (cdsWhy != null) {
                rows.add(Row.notAvailable(cdsWhat, "without AppCDS", "informs shipping CDS", cdsWhy));
            } else {
                double emulatorCds = Bench.median(seconds.get("emulator+cds"));
                double localCds = Bench.median(seconds.get("local+cds"));
                rows.add(new Row(cdsWhat + n, "the same without AppCDS", fmt("%.3f s / %.3f s", local, emulator),
                        fmt("%.3f s / %.3f s", localCds, emulatorCds),
                        Bench.times(localCds / local) + " / " + Bench.times(emulatorCds / emulator), "informs shipping CDS"));
            }
            return rows;
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    private List<String> cli(List<String> jvmOptions, String sandbox) {
        List<String> command = new ArrayList<>(List.of(Bench.java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", cliJar.toString(), "run", "--sandbox", sandbox, "print(1)"));
        return command;
    }

    /** Dumps the dynamic archive from one emulator run; returns why it failed, or null. */
    private String makeArchive(Path archive) {
        List<String> command = cli(List.of("-XX:ArchiveClassesAtExit=" + archive), "emulator");
        try {
            Bench.run(command, Map.of(), Duration.ofMinutes(2)).ok(command);
            return Files.isRegularFile(archive) ? null : "the JVM wrote no archive at " + archive;
        } catch (Exception e) {
            return "making the archive failed: " + e.getMessage();
        }
    }
}
