package io.sandbox402.sandbox.local;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxStatus;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One local sandbox: a work directory that lives until {@link #terminate()}, in which every exec runs
 * in a new bubblewrap jail under prlimit bounds and, where possible, the sandbox's cgroup.
 */
final class LocalSandbox implements Sandbox {
    private static final System.Logger LOG = System.getLogger(LocalSandbox.class.getName());
    /** The whole environment of the processes that start a jail (the JVM finds programs on its own PATH). */
    private static final Map<String, String> LAUNCH_ENVIRONMENT = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");

    private final String id;
    private final Path workDir;
    private final boolean network;
    private final Cgroup cgroup;
    private final LocalProvider provider;
    private final AtomicBoolean terminated = new AtomicBoolean();
    /** The execs under way, which terminate stops: without a cgroup nothing else would until their timeout. */
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    LocalSandbox(String id, Path workDir, boolean network, Cgroup cgroup, LocalProvider provider) {
        this.id = id;
        this.workDir = workDir;
        this.network = network;
        this.cgroup = cgroup;
        this.provider = provider;
    }

    @Override
    public String id() {
        return id;
    }

    Path workDir() {
        return workDir;
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        if (terminated.get()) {
            throw new SandboxException("Sandbox " + id + " is terminated; create a new one to run more commands.");
        }
        Duration timeout = request.timeout() == null ? provider.defaultExecTimeout() : request.timeout();
        List<String> command = new ArrayList<>();
        if (cgroup != null) {
            // The shell joins the cgroup, then becomes bwrap: all their children stay inside.
            List<Path> files = cgroup.procsFiles();
            command.addAll(List.of("/bin/sh", "-c",
                    "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\"; shift; n=$((n - 1)); done; exec \"$@\"",
                    "sh", Integer.toString(files.size())));
            files.forEach(file -> command.add(file.toString()));
        }
        command.addAll(provider.bubblewrap().command(workDir, network, provider.limits(), request.command()));

        long started = System.nanoTime();
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // Not the JVM's environment: bubblewrap's --clearenv empties the command's, but bubblewrap itself
            // lives on as the jail's pid 1, whose /proc/1/environ sandboxed code can read.
            builder.environment().clear();
            builder.environment().putAll(LAUNCH_ENVIRONMENT);
            process = builder.start();
        } catch (IOException e) {
            throw new SandboxException("Cannot start bubblewrap for sandbox " + id + ": " + e.getMessage(), e);
        }
        running.add(process);
        if (terminated.get()) { // terminate ran between the check above and now
            killTree(process);
        }
        Runnable kill = () -> killTree(process);
        int limit = provider.maxOutputBytes();
        BoundedOutput stdout = new BoundedOutput(process.getInputStream(), limit, kill, id + "-stdout");
        BoundedOutput stderr = new BoundedOutput(process.getErrorStream(), limit, kill, id + "-stderr");
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTree(process);
                process.waitFor(5, TimeUnit.SECONDS);
            }
            Duration duration = Duration.ofNanos(System.nanoTime() - started);
            String out = stdout.text(5_000);
            String err = stderr.text(5_000);
            boolean truncated = stdout.overflowed() || stderr.overflowed();
            if (stdout.overflowed()) {
                out += "\n[sandbox402: output truncated after " + limit + " bytes; the command was stopped]";
            }
            if (stderr.overflowed()) {
                err += "\n[sandbox402: output truncated after " + limit + " bytes; the command was stopped]";
            }
            if (!finished) {
                return new ExecResult(out, err + (err.isEmpty() ? "" : "\n") + "[sandbox402: timed out after "
                        + (timeout.toMillisPart() == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms")
                        + "; every process of the command was killed]",
                        ExecResult.TIMEOUT_EXIT_CODE, duration, BigDecimal.ZERO, true, truncated);
            }
            if (terminated.get()) {
                err += (err.isEmpty() ? "" : "\n") + "[sandbox402: sandbox " + id + " was terminated while the command ran]";
            }
            return new ExecResult(out, err, process.exitValue(), duration, BigDecimal.ZERO, false, truncated);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new SandboxException("Interrupted while running a command in sandbox " + id + "; the command was killed.", e);
        } finally {
            running.remove(process);
        }
    }

    private void killTree(Process process) {
        if (cgroup != null) {
            cgroup.killAll();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public SandboxStatus status() {
        return new SandboxStatus(id, terminated.get() ? SandboxStatus.TERMINATED : SandboxStatus.RUNNING, null);
    }

    @Override
    public void terminate() {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        running.forEach(this::killTree);
        if (cgroup != null) {
            cgroup.killAll();
            cgroup.delete();
        }
        deleteRecursively(workDir);
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
