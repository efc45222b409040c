package io.sandbox402.sandbox.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** What the host sees of sandboxes' processes, and waiting on it with a deadline (never a fixed sleep). */
final class HostProcesses {
    private HostProcesses() {}

    /**
     * The host pids of the processes whose command line holds {@code marker}, read from
     * {@code /proc/P/cmdline}: {@code ProcessHandle.Info} leaves the command line of a process in
     * another mount namespace, or one renamed with {@code exec -a}, empty.
     */
    static List<Long> withMarker(String marker) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(entry -> entry.getFileName().toString().matches("[0-9]+"))
                    .filter(entry -> commandLine(entry).contains(marker))
                    .map(entry -> Long.parseLong(entry.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String commandLine(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // gone
        }
    }

    /** The host pids of the processes in the pid namespace {@code namespace} (as {@code /proc/P/ns/pid} names it). */
    static List<Long> inPidNamespace(String namespace) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(entry -> entry.getFileName().toString().matches("[0-9]+"))
                    .filter(entry -> namespace.equals(pidNamespace(entry)))
                    .map(entry -> Long.parseLong(entry.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pid namespace of host process {@code proc} ({@code /proc/P}), or {@code null} once it is gone. */
    static String pidNamespace(Path proc) {
        try {
            return Files.readSymbolicLink(proc.resolve("ns/pid")).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code timeout} passed; returns its last value. */
    static boolean await(Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
