package io.sandbox402.sandbox.local;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxStatus;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One local sandbox: a long-lived machine, as on Modal. First {@link #start()} launches the sandbox's
 * jail, whose pid 1 owns its namespaces and lives until {@link #terminate()}. Then every exec joins
 * those namespaces, so files, {@code /tmp}, installed packages and background processes persist from
 * one exec to the next; a timeout kills the processes of that exec only. After each exec, and every
 * second, the work directory's size is checked against the disk limit and its setuid and setgid bits
 * are cleared. Finally terminate kills the machine, which takes every process of the sandbox with it,
 * and deletes its directories. Where no machine can be joined (see {@link Bubblewrap#isRoot()}), each
 * exec is a jail of its own on the same directories.
 */
final class LocalSandbox implements Sandbox {
    private static final System.Logger LOG = System.getLogger(LocalSandbox.class.getName());
    /** The whole environment of the processes that start a jail (the JVM finds programs on its own PATH). */
    private static final Map<String, String> LAUNCH_ENVIRONMENT = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");
    /** How long the output of a finished exec may still arrive: a background process may hold its pipes open. */
    private static final long OUTPUT_GRACE_MILLIS = 250;
    private static final int SET_ID_BITS = 06000;
    /** How often a running exec's pids group is checked for a fork bomb: reading one small file. */
    private static final long PIDS_WATCH_MILLIS = 100;
    /** Names of runCode's program files: random, so concurrent runs in one sandbox stay apart. */
    private static final SecureRandom PROGRAM_NAMES = new SecureRandom();
    /** Whether this JVM passes arguments to programs as UTF-8 (not with no locale), so any program text survives. */
    private static final boolean ARGUMENTS_UTF8 =
            List.of("UTF-8", "UTF8").contains(System.getProperty("sun.jnu.encoding", "").toUpperCase(Locale.ROOT));

    private final String id;
    private final Path workDir;
    private final Path tmpDir;
    private final boolean network;
    private final Cgroup cgroup;
    private final LocalProvider provider;
    private final Bubblewrap bubblewrap;
    private final AtomicBoolean terminated = new AtomicBoolean();
    /** The execs under way, which terminate stops. */
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile Process machine;
    private volatile ProcessHandle machinePid1;
    private volatile String stopReason;
    private final AtomicInteger execs = new AtomicInteger();
    private volatile Runnable onTerminate = () -> {};

    LocalSandbox(String id, Path workDir, Path tmpDir, boolean network, Cgroup cgroup, LocalProvider provider) {
        this.id = id;
        this.workDir = workDir;
        this.tmpDir = tmpDir;
        this.network = network;
        this.cgroup = cgroup;
        this.provider = provider;
        this.bubblewrap = provider.bubblewrap();
    }

    @Override
    public String id() {
        return id;
    }

    Path workDir() {
        return workDir;
    }

    void onTerminate(Runnable action) {
        onTerminate = action;
        if (terminated.get()) {
            action.run();
        }
    }

    /** The host pid of the machine's pid 1, or {@code null} where execs are jails of their own. */
    ProcessHandle machinePid1() {
        return machinePid1;
    }

    /**
     * Starts the sandbox's machine and waits until it is ready (its mounts are in place).
     *
     * @throws SandboxException when bubblewrap cannot start it
     */
    void start() {
        if (!provider.machines()) {
            return;
        }
        Path idFile = workDir.resolveSibling(id + ".id");
        try {
            Files.writeString(idFile, id + "\n");
        } catch (IOException e) {
            throw new SandboxException("Cannot write the id file of sandbox " + id + ": " + e.getMessage(), e);
        }
        Process process = launch(bubblewrap.machineCommand(workDir, idFile, network, provider.maxTmpBytes()), true, null,
                LAUNCH_ENVIRONMENT);
        machine = process;
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readLine(process.getInputStream()),
                runnable -> {
                    Thread thread = new Thread(runnable, id + "-machine");
                    thread.setDaemon(true);
                    thread.start();
                });
        String line;
        try {
            line = ready.get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            line = null;
        } catch (ExecutionException | TimeoutException e) {
            line = null;
        }
        Optional<ProcessHandle> pid1 = process.toHandle().children().findFirst();
        if (!"ready".equals(line) || pid1.isEmpty()) {
            process.destroyForcibly();
            String output = "";
            try {
                output = new String(process.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                // nothing more to say
            }
            throw new SandboxException("Cannot start the machine of sandbox " + id + ": bubblewrap said "
                    + (line == null ? "nothing" : "'" + line + "'") + (output.isEmpty() ? "" : " then '" + output + "'")
                    + ". Check that " + bubblewrap.tools().bwrap() + " runs, or use --sandbox blockrun.");
        }
        machinePid1 = pid1.get();
        try {
            // A memory hog in the sandbox's cgroup must not take the machine with it (as root; others may not lower it).
            Files.writeString(Path.of("/proc", Long.toString(pid1.get().pid()), "oom_score_adj"), "-1000");
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cannot protect the machine of {0} from the OOM killer: {1}", id, e.toString());
        }
        try {
            process.getInputStream().close(); // pid 1 wrote all it ever writes
        } catch (IOException e) {
            // already closed
        }
    }

    private static String readLine(InputStream in) {
        StringBuilder line = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
        } catch (IOException e) {
            return null;
        }
        return line.toString();
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        return exec(request, null);
    }

    @Override
    public ExecResult runCode(Language language, String code) {
        return runCode(language, code, null);
    }

    /**
     * Runs {@code code} as {@link Sandbox#runCode} does everywhere (a file in {@code /tmp} that the
     * language's interpreter runs), in one exec that starts the interpreter once: the file is written
     * by the exec's own shell, or, where each exec is a jail, by the host into the jail's {@code /tmp}.
     * Programs too long for one argument, with NUL, or not encodable in this JVM's argument encoding
     * take the providers' common path, which decodes them with Python first.
     */
    @Override
    public ExecResult runCode(Language language, String code, Duration timeout) {
        if (language == null || code == null || terminated.get()
                || timeout != null && timeout.compareTo(limits().maxExecTimeout()) > 0) {
            return Sandbox.super.runCode(language, code, timeout);
        }
        String name = "sandbox402-" + Long.toHexString(PROGRAM_NAMES.nextLong()) + "." + language.extension();
        String path = "/tmp/" + name;
        ExecRequest request = new ExecRequest(List.of(language.interpreter(), path), timeout);
        if (machinePid1 == null) {
            try {
                // CREATE_NEW fails on anything sandboxed code put there, a link included.
                Files.writeString(tmpDir.resolve(name), code, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            } catch (IOException | RuntimeException e) {
                return Sandbox.super.runCode(language, code, timeout);
            }
            return exec(request, null);
        }
        boolean inline = code.indexOf('\0') < 0 && code.length() <= Bubblewrap.MAX_INLINE_PROGRAM_BYTES
                && code.getBytes(StandardCharsets.UTF_8).length <= Bubblewrap.MAX_INLINE_PROGRAM_BYTES
                && (code.chars().allMatch(c -> c < 128) || ARGUMENTS_UTF8);
        return inline ? exec(request, new Bubblewrap.InlineFile(path, code)) : Sandbox.super.runCode(language, code, timeout);
    }

    private ExecResult exec(ExecRequest request, Bubblewrap.InlineFile program) {
        if (terminated.get()) {
            throw new SandboxException(stopReason != null ? stopReason
                    : "Sandbox " + id + " is terminated; create a new one to run more commands.");
        }
        Duration timeout = request.timeout() == null ? provider.defaultExecTimeout() : request.timeout();
        ProcessHandle pid1 = machinePid1;
        if (pid1 != null && !(pid1.isAlive() && machine.isAlive())) { // isAlive compares start times: not a reused pid
            String reason = "The machine of sandbox " + id + " stopped: its pid 1 exited (killed from the host, or by"
                    + " a debugger attached from inside). Create a new sandbox.";
            terminate(reason);
            throw new SandboxException(reason);
        }
        if (cgroup != null) {
            cgroup.killDetachedForkBombs();
        }
        List<String> command = pid1 != null
                ? bubblewrap.execCommand(pid1.pid(), id, provider.limits(cgroup != null), request.command(), program)
                : bubblewrap.command(workDir, tmpDir, network, provider.limits(cgroup != null), request.command());

        long started = System.nanoTime();
        Path execGroup = cgroup == null || pid1 == null ? null : cgroup.execGroup("exec-" + execs.incrementAndGet());
        // On a machine nothing in the chain clears the environment: the process starts with the jail's.
        Process process = launch(command, false, execGroup, pid1 != null ? bubblewrap.environment() : LAUNCH_ENVIRONMENT);
        running.add(process);
        if (terminated.get()) { // terminate ran between the check above and now
            killExec(process);
        }
        Runnable kill = () -> killExec(process);
        int limit = provider.maxOutputBytes();
        BoundedOutput stdout = new BoundedOutput(process.getInputStream(), limit, kill, id + "-stdout");
        BoundedOutput stderr = new BoundedOutput(process.getErrorStream(), limit, kill, id + "-stderr");
        boolean finished;
        try {
            boolean bombed = false;
            if (execGroup == null) {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                // Watch for a fork bomb while the command runs: what it detached is killed at once, so it
                // cannot hold the limit (and bash's fork retries) until the timeout; only the exec's group still
                // knows those processes. What the command's own tree holds is its to stop (see killDetached).
                long deadline = started + timeout.toNanos();
                do {
                    finished = process.waitFor(Math.min(PIDS_WATCH_MILLIS,
                            Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))), TimeUnit.MILLISECONDS);
                    if (!finished && Cgroup.hitPidsLimit(execGroup)) {
                        bombed = true;
                        killDetached(process, execGroup.resolve("cgroup.procs"));
                    }
                } while (!finished && System.nanoTime() < deadline);
            }
            if (!finished) {
                killExec(process);
                process.waitFor(5, TimeUnit.SECONDS);
            }
            Duration duration = Duration.ofNanos(System.nanoTime() - started);
            long grace = finished ? OUTPUT_GRACE_MILLIS : 5_000;
            String out = stdout.text(grace);
            String err = stderr.text(grace);
            boolean truncated = stdout.overflowed() || stderr.overflowed();
            if (stdout.overflowed()) {
                out += "\n[sandbox402: output truncated after " + limit + " bytes; the command was stopped]";
            }
            if (stderr.overflowed()) {
                err += "\n[sandbox402: output truncated after " + limit + " bytes; the command was stopped]";
            }
            running.remove(process);
            if (bombed || execGroup != null && Cgroup.hitPidsLimit(execGroup)) {
                Cgroup.killAll(execGroup.resolve("cgroup.procs"));
                err += (err.isEmpty() ? "" : "\n") + "[sandbox402: the command reached the sandbox's limit of "
                        + provider.maxPids() + " processes, so every process it started was killed]";
            }
            String overLimit = checkLimits();
            if (overLimit != null) {
                err += (err.isEmpty() ? "" : "\n") + "[sandbox402: " + overLimit + "]";
            }
            if (!finished) {
                return new ExecResult(out, err + (err.isEmpty() ? "" : "\n") + "[sandbox402: timed out after "
                        + (timeout.toMillisPart() == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms")
                        + "; every process of the command was killed]",
                        ExecResult.TIMEOUT_EXIT_CODE, duration, BigDecimal.ZERO, true, truncated);
            }
            if (terminated.get() && overLimit == null) {
                err += (err.isEmpty() ? "" : "\n") + "[sandbox402: sandbox " + id + " was terminated while the command ran"
                        + (stopReason == null ? "" : ": " + stopReason) + "]";
            }
            return new ExecResult(out, err, process.exitValue(), duration, BigDecimal.ZERO, false, truncated);
        } catch (InterruptedException e) {
            killExec(process);
            Thread.currentThread().interrupt();
            throw new SandboxException("Interrupted while running a command in sandbox " + id + "; the command was killed.", e);
        } finally {
            running.remove(process);
            if (execGroup != null) {
                cgroup.release(execGroup);
            }
        }
    }

    /** Starts {@code command}, inside the sandbox's cgroup when it has one, with {@code environment} only. */
    private Process launch(List<String> command, boolean mergeErrors, Path execGroup, Map<String, String> environment) {
        List<String> full = new ArrayList<>();
        if (cgroup != null) {
            // The shell joins the cgroup, then becomes the command: all their children stay inside.
            List<Path> files = cgroup.joinFiles(execGroup);
            full.addAll(List.of(bubblewrap.tools().sh(), "-c",
                    "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo 0 > \"$1\" || exit 125; shift; n=$((n - 1)); done; exec \"$@\"",
                    "sh", Integer.toString(files.size())));
            files.forEach(file -> full.add(file.toString()));
        }
        full.addAll(command);
        try {
            // From /, so that no shell of the chain passes the JVM's working directory on as PWD.
            ProcessBuilder builder = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(mergeErrors).directory(new File("/"));
            // Not the JVM's environment: bubblewrap lives on as the jail's pid 1, whose /proc/1/environ
            // sandboxed code can read, and an exec on a machine passes it on to the command.
            builder.environment().clear();
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            throw new SandboxException("Cannot start bubblewrap for sandbox " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Kills the processes of an exec's group that left the command's process tree (a fork bomb's whose
     * parents exited), until none is left or two seconds passed. The command and its descendants live on:
     * at the limit their forks fail, and the command may stop them itself (an evaluation runner ends a
     * sample's fork bomb at the sample's timeout and records it); the exec's timeout ends them otherwise.
     */
    private static void killDetached(Process process, Path procs) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            Set<Long> detached = outsideTree(process, procs);
            // Seen twice: a process whose parent just exited is in its new parent's tree (a subreaper's) the second time.
            detached.retainAll(outsideTree(process, procs));
            if (detached.isEmpty()) {
                return;
            }
            detached.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The pids listed in {@code procs} that are neither {@code process} nor one of its descendants. */
    private static Set<Long> outsideTree(Process process, Path procs) {
        Set<Long> pids = new LinkedHashSet<>();
        try {
            Files.readAllLines(procs).forEach(line -> pids.add(Long.parseLong(line.strip())));
        } catch (IOException e) {
            return pids;
        }
        // Listed first, then the tree: a process forked in between is not listed, so not mistaken for detached.
        pids.remove(process.pid());
        process.descendants().forEach(handle -> pids.remove(handle.pid()));
        return pids;
    }

    /**
     * Kills every process of one exec: its descendants, stopped first (so none can fork a child that
     * escapes the kill) until no new one appears, then killed. A process the command detached before
     * (its parent exited, so it hangs from the machine's pid 1) is no longer the exec's, and lives on.
     */
    private void killExec(Process process) {
        Set<ProcessHandle> seen = new LinkedHashSet<>();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> fresh = process.descendants().filter(handle -> !seen.contains(handle)).toList();
            if (fresh.isEmpty()) {
                break;
            }
            List<String> stop = new ArrayList<>(List.of(bubblewrap.tools().kill(), "-STOP"));
            fresh.forEach(handle -> stop.add(Long.toString(handle.pid())));
            try {
                new ProcessBuilder(stop).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor(1, TimeUnit.SECONDS);
            } catch (IOException e) {
                break; // kill them as they are
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            seen.addAll(fresh);
        }
        seen.forEach(ProcessHandle::destroyForcibly);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Kills what is left of detached fork bombs, then measures the sandbox's files against the disk limit,
     * clearing setuid and setgid bits on the way
     * (a file the jail makes is owned by the host user, root here, and must never run with its rights).
     * Over the limit, the sandbox is terminated.
     *
     * @return why the sandbox was stopped, or {@code null} when it is within its limit
     */
    String checkLimits() {
        if (terminated.get()) {
            return null;
        }
        if (cgroup != null) {
            cgroup.killDetachedForkBombs();
        }
        long used = scan(workDir) + (tmpDir == null ? 0 : scan(tmpDir));
        long limit = provider.maxDiskBytes();
        if (used <= limit) {
            return null;
        }
        String reason = "Sandbox " + id + " was stopped: its files take " + used + " bytes, above its disk limit of "
                + limit + " bytes (maxDiskBytes). Delete what is not needed sooner, or raise the limit with"
                + " LocalProvider.builder().maxDiskBytes(..).";
        terminate(reason);
        return reason;
    }

    private static long scan(Path dir) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    total[0] += attributes.size();
                    if (attributes.isRegularFile()) {
                        clearSetId(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attributes) {
                    clearSetId(d);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted while we looked
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cannot measure {0}: {1}", dir, e.toString());
        }
        return total[0];
    }

    private static void clearSetId(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & SET_ID_BITS) != 0) {
                // chmod with the permission bits only: setuid and setgid go
                Files.setPosixFilePermissions(path, Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cannot check {0}: {1}", path, e.toString());
        }
    }

    @Override
    public SandboxStatus status() {
        return new SandboxStatus(id, terminated.get() ? SandboxStatus.TERMINATED : SandboxStatus.RUNNING, null);
    }

    @Override
    public void terminate() {
        terminate(null);
    }

    /** Kills every process of the sandbox, deletes its directories, and remembers {@code reason} for later execs. */
    void terminate(String reason) {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        stopReason = reason;
        onTerminate.run();
        running.forEach(this::killExec);
        ProcessHandle pid1 = machinePid1;
        Process process = machine;
        if (pid1 != null) {
            // The kernel kills every process of a pid namespace whose pid 1 dies, before pid 1 is reaped.
            pid1.destroyForcibly();
        }
        if (process != null) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (cgroup != null) {
            cgroup.killAll();
            cgroup.delete();
        }
        deleteRecursively(workDir);
        try {
            Files.deleteIfExists(workDir.resolveSibling(id + ".id"));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot delete the id file of sandbox {0}: {1}", id, e.toString());
        }
        if (tmpDir != null) {
            deleteRecursively(tmpDir);
        }
        provider.forget(this);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attributes) {
                    d.toFile().setWritable(true, true); // sandboxed code may have made a directory read-only
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot delete sandbox directory {0}: {1}", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "LocalSandbox{" + id + (terminated.get() ? ", terminated" : "") + "}";
    }
}
