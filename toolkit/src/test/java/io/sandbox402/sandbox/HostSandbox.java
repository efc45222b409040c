package io.sandbox402.sandbox;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fake sandbox for tests of what is built on exec: each exec runs on this machine in a directory of
 * its own, after checking the request against {@link #limits()} the way BlockRun's validation does, and
 * is counted and priced like a paid exec. No isolation: only for the toolkit's own commands.
 */
final class HostSandbox implements Sandbox {
    static final BigDecimal EXEC_PRICE = new BigDecimal("0.002");

    private final Path directory;
    private final SandboxLimits limits;
    final List<ExecRequest> execs = new ArrayList<>();

    HostSandbox(Path directory, SandboxLimits limits) {
        this.directory = directory;
        this.limits = limits;
    }

    @Override
    public String id() {
        return "host-" + directory.getFileName();
    }

    @Override
    public SandboxLimits limits() {
        return limits;
    }

    @Override
    public synchronized ExecResult exec(ExecRequest request) {
        limits.check(request);
        if (request.timeout() != null && request.timeout().compareTo(limits.minExecTimeout()) < 0) {
            throw new AssertionError("timeout below the minimum: " + request.timeout());
        }
        execs.add(request);
        Duration timeout = request.timeout() == null ? limits.maxExecTimeout() : request.timeout();
        long started = System.nanoTime();
        try {
            Process process = new ProcessBuilder(request.command()).directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var out = process.getInputStream();
            var err = process.getErrorStream();
            var stdout = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(out));
            var stderr = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(err));
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
                return ExecResult.timedOut(stdout.join(), stderr.join(), Duration.ofNanos(System.nanoTime() - started))
                        .withCost(EXEC_PRICE);
            }
            return ExecResult.of(stdout.join(), stderr.join(), process.exitValue(), Duration.ofNanos(System.nanoTime() - started))
                    .withCost(EXEC_PRICE);
        } catch (IOException e) {
            throw new SandboxException("Cannot run " + request.command().get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted", e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public SandboxStatus status() {
        return new SandboxStatus(id(), SandboxStatus.RUNNING, null);
    }

    @Override
    public void terminate() {}
}
