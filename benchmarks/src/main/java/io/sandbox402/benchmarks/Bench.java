package io.sandbox402.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the rows share: child processes timed from start to exit, medians, figures and progress on stderr. */
final class Bench {
    /** Hardhat/Anvil account #0, a public development key (the same as {@link SignerBenchmark#DEV_KEY}). */
    static final String DEV_KEY = SignerBenchmark.DEV_KEY;

    private Bench() {}

    /** A finished child process: its exit code, output and wall time from start to exit. */
    record Exit(int code, String stdout, String stderr, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }

        /** The exit, or an exception naming the command and the end of its stderr when it failed. */
        Exit ok(List<String> command) {
            if (code != 0) {
                String tail = stderr.strip();
                tail = tail.length() > 400 ? "..." + tail.substring(tail.length() - 400) : tail;
                throw new IllegalStateException(String.join(" ", command) + " exited with " + code + ": " + tail);
            }
            return this;
        }
    }

    /**
     * Runs a command to its end with stdout and stderr going to files (no pipe-draining threads in
     * the timing), the environment of this process plus {@code env}. A command still running after
     * {@code timeout} is killed and reported as an exception.
     */
    static Exit run(List<String> command, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        File out = File.createTempFile("bench-out", ".txt");
        File err = File.createTempFile("bench-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            long started = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " still running after " + timeout.toSeconds() + " s; killed");
            }
            long nanos = System.nanoTime() - started;
            return new Exit(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8), nanos);
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }

    /** The java launcher of this JVM, for child JVMs. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The first executable named {@code name} on PATH, or null. */
    static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The real python3 binary, past shims: a pyenv shim on PATH costs a bash start-up (seconds on a
     * loaded machine) that would flatter every ratio against it.
     */
    static String realPython() throws IOException, InterruptedException {
        if (onPath("python3") == null) {
            throw new IllegalStateException("python3 not found on PATH");
        }
        List<String> command = List.of("python3", "-c", "import sys; print(sys.executable)");
        return run(command, Map.of(), Duration.ofSeconds(60)).ok(command).stdout().strip();
    }

    static double median(Collection<? extends Number> values) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static double median(double... values) {
        return median(Arrays.stream(values).boxed().toList());
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** A ratio as the table prints it: ×0.83. */
    static String times(double ratio) {
        return Double.isFinite(ratio) ? fmt("×%.2f", ratio) : "n/a";
    }

    /** "met" or "missed", for the target column. */
    static String verdict(String target, boolean met) {
        return target + (met ? " (met)" : " (missed)");
    }

    /** The values of a list of seconds, for a row's notes: 0.41/0.39/0.52 s. */
    static String spread(List<Double> seconds) {
        List<String> parts = new ArrayList<>();
        for (double s : seconds) {
            parts.add(fmt("%.2f", s));
        }
        return String.join("/", parts) + " s";
    }

    static void progress(String message) {
        System.err.println("[perf] " + message);
        System.err.flush();
    }
}
