package io.sandbox402.sandbox.local;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.internal.ShutdownHook;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sandboxes on this machine, each a long-lived bubblewrap jail: the offline default, free and fast.
 *
 * <p>As on Modal, a sandbox is one machine: {@link #create} starts a jail whose pid 1 owns the sandbox's
 * namespaces (no network unless the spec allows it), and every exec joins them, so files, {@code /tmp},
 * installed packages and background processes ({@code nohup ... &}) persist until terminate, and a
 * server on {@code 127.0.0.1} is reachable from later execs of the same sandbox only. The jail sees
 * read-only {@code /usr} and interpreters, a {@code /tmp} tmpfs of {@link Builder#maxTmpBytes} and the
 * sandbox's own {@code /work}. The host's environment (API keys, the wallet key) never reaches it.
 * {@code prlimit} bounds address space, CPU time, file size and open files; where a cgroup is writable,
 * a pids limit stops fork bombs and a memory limit applies; the sandbox's files are held to
 * {@link Builder#maxDiskBytes}. A timeout kills every process of that command; what the command
 * detached lives on, as on Modal. Terminate kills every process of the sandbox. The spec's
 * {@code image} and {@code cpu} do not apply: the jail uses this machine's interpreters; GPU specs are
 * refused.
 *
 * <p><b>A spec with {@code network(true)} shares the host's network namespace, loopback included:
 * sandboxed code can reach every service listening on the host's {@code 127.0.0.1}, and what it
 * serves is reachable from the host and other networked sandboxes. Allow it only for code you would
 * run on the host yourself.</b>
 *
 * <p>Joining a machine needs root (bubblewrap nests two user namespaces for other users, and nsenter
 * enters only the inner one, which owns none of the jail's other namespaces); for other users each exec is a
 * jail of its own on the same {@code /work} and {@code /tmp}, and background processes die with it.
 *
 * <pre>{@code
 * try (LocalProvider provider = LocalProvider.create();
 *      Sandbox sandbox = provider.create(SandboxSpec.defaults())) {
 *     System.out.print(sandbox.runCode(Language.PYTHON, "print(6 * 7)").stdout());
 * }
 * }</pre>
 */
public final class LocalProvider implements SandboxProvider {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String bwrap;
    private final Duration defaultExecTimeout;
    private final Duration setupTimeout;
    private final int maxOutputBytes;
    private final long addressSpaceBytes;
    private final long cpuSeconds;
    private final long maxFileSizeBytes;
    private final int maxOpenFiles;
    private final int maxPids;
    private final int defaultMemoryMb;
    private final long maxDiskBytes;
    private final long maxTmpBytes;
    private final boolean cgroups;
    private final boolean machinesAllowed;
    private final Path root;
    private final Map<String, LocalSandbox> live = new ConcurrentHashMap<>();
    private final ShutdownHook shutdownHook;
    private volatile String unavailableReason;
    private volatile boolean probed;
    private volatile Bubblewrap bubblewrap;
    private volatile Bubblewrap.Host host;
    private volatile ScheduledExecutorService reaper;
    private volatile boolean closed;

    private LocalProvider(Builder builder) {
        this.bwrap = builder.bwrap == null ? "bwrap" : builder.bwrap;
        this.defaultExecTimeout = builder.defaultExecTimeout == null ? Duration.ofSeconds(60) : builder.defaultExecTimeout;
        this.setupTimeout = Duration.ofSeconds(300);
        this.maxOutputBytes = builder.maxOutputBytes == null ? 1024 * 1024 : builder.maxOutputBytes;
        this.addressSpaceBytes = builder.addressSpaceBytes == null ? 4L << 30 : builder.addressSpaceBytes;
        this.cpuSeconds = builder.cpuSeconds == null ? 300 : builder.cpuSeconds;
        this.maxFileSizeBytes = builder.maxFileSizeBytes == null ? 1L << 30 : builder.maxFileSizeBytes;
        this.maxOpenFiles = builder.maxOpenFiles == null ? 1024 : builder.maxOpenFiles;
        this.maxPids = builder.maxPids == null ? 256 : builder.maxPids;
        this.defaultMemoryMb = builder.defaultMemoryMb == null ? 1024 : builder.defaultMemoryMb;
        this.maxDiskBytes = builder.maxDiskBytes == null ? 2L << 30 : builder.maxDiskBytes;
        this.maxTmpBytes = builder.maxTmpBytes == null ? 512L << 20 : builder.maxTmpBytes;
        this.cgroups = builder.cgroups;
        this.machinesAllowed = builder.machines;
        try {
            Path base = builder.workRoot == null ? Path.of(System.getProperty("java.io.tmpdir")) : builder.workRoot;
            Files.createDirectories(base);
            this.root = Files.createTempDirectory(base, "sandbox402-");
        } catch (IOException e) {
            throw new SandboxException("Cannot create the local sandboxes' directory: " + e.getMessage(), e);
        }
        this.shutdownHook = ShutdownHook.registerIf(builder.shutdownHook, "sandbox402-local-shutdown", this::close);
    }

    /**
     * A provider with the defaults: 60 s exec timeout, 1 MiB output cap, 1024 MB memory, 256 processes,
     * 2 GiB of files and a 512 MiB {@code /tmp} per sandbox.
     */
    public static LocalProvider create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Sandbox create(SandboxSpec spec) {
        ensureNotNull(spec, "spec");
        if (closed) {
            throw new SandboxException("This LocalProvider is closed; create a new one.");
        }
        if (spec.gpu() != null) {
            throw new SandboxException("The local sandbox has no GPU (the spec asks for " + spec.gpu().wireName()
                    + "). Use --sandbox blockrun for GPU jobs.");
        }
        String reason = unavailableReason();
        if (reason != null) {
            throw new SandboxException(reason);
        }
        String id = "local-" + HexFormat.of().formatHex(randomBytes());
        Path workDir = root.resolve(id);
        Path tmpDir = machines() ? null : root.resolve(id + ".tmp");
        try {
            Files.createDirectory(workDir);
            if (tmpDir != null) {
                Files.createDirectory(tmpDir);
            }
        } catch (IOException e) {
            throw new SandboxException("Cannot create the work directory of sandbox " + id + ": " + e.getMessage(), e);
        }
        int memoryMb = spec.memoryMb() == null ? defaultMemoryMb : spec.memoryMb();
        Cgroup cgroup = cgroups ? Cgroup.create(id, maxPids, (long) memoryMb << 20) : null;
        LocalSandbox sandbox = new LocalSandbox(id, workDir, tmpDir, spec.network(), cgroup, this);
        live.put(id, sandbox);
        try {
            sandbox.start();
        } catch (RuntimeException e) {
            sandbox.terminate();
            throw e;
        }
        ScheduledFuture<?> watchdog = reaper().scheduleWithFixedDelay(sandbox::checkLimits, 1, 1, TimeUnit.SECONDS);
        sandbox.onTerminate(() -> watchdog.cancel(false));
        if (spec.timeout() != null) {
            reaper().schedule((Runnable) sandbox::terminate, spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        for (String command : spec.setupCommands()) {
            ExecResult result = sandbox.exec(ExecRequest.shell(command).withTimeout(setupTimeout));
            if (!result.succeeded()) {
                sandbox.terminate();
                throw new SandboxException("Setup command failed in sandbox " + id + " (exit code " + result.exitCode()
                        + "), so the sandbox was terminated: " + command + "\n" + result.stderr().strip());
            }
        }
        return sandbox;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public boolean isAvailable() {
        return unavailableReason() == null;
    }

    @Override
    public String description() {
        String reason = unavailableReason();
        return reason == null
                ? "local: " + host.version() + " jails on this machine (no network by default)"
                : "local: " + reason;
    }

    /** Why sandboxes cannot be made here, or {@code null}. Probed once per JVM, when first asked. */
    String unavailableReason() {
        if (!probed) {
            synchronized (this) {
                if (!probed) {
                    host = Bubblewrap.host(bwrap);
                    unavailableReason = host.unavailableReason();
                    if (unavailableReason == null) {
                        try {
                            bubblewrap = Bubblewrap.create(host, root);
                        } catch (IOException e) {
                            unavailableReason = "Cannot prepare the local sandbox: " + e.getMessage();
                        }
                    }
                    probed = true;
                }
            }
        }
        return unavailableReason;
    }

    /** How many sandboxes of this provider are running. */
    public int runningSandboxes() {
        return live.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LocalSandbox sandbox : List.copyOf(live.values())) {
            sandbox.terminate();
        }
        ScheduledExecutorService reaper = this.reaper;
        if (reaper != null) {
            reaper.shutdownNow();
        }
        LocalSandbox.deleteRecursively(root);
        ShutdownHook.remove(shutdownHook);
    }

    Bubblewrap bubblewrap() {
        return bubblewrap;
    }

    Duration defaultExecTimeout() {
        return defaultExecTimeout;
    }

    int maxOutputBytes() {
        return maxOutputBytes;
    }

    /**
     * The bounds {@code prlimit} sets inside every jail before the command. No file may be larger than
     * the disk limit, so one write cannot pass it by much before the check after the exec sees it.
     * RLIMIT_NPROC counts the processes of the jail's user in its user namespace (since Linux 5.14, root
     * included); with a {@code cgroup} it is set above the pids limit, whose hits can be seen (and a fork
     * bomb stopped), and only backs it up.
     */
    List<String> limits(boolean cgroup) {
        return List.of("--as=" + addressSpaceBytes, "--cpu=" + cpuSeconds,
                "--fsize=" + Math.min(maxFileSizeBytes, maxDiskBytes), "--nofile=" + maxOpenFiles,
                "--nproc=" + (cgroup ? 2 * maxPids : maxPids), "--core=0");
    }

    int maxPids() {
        return maxPids;
    }

    long maxDiskBytes() {
        return maxDiskBytes;
    }

    long maxTmpBytes() {
        return maxTmpBytes;
    }

    /** Whether each sandbox is one long-lived machine that execs join, or each exec a jail of its own. */
    boolean machines() {
        return machinesAllowed && host != null && host.machines();
    }

    void forget(LocalSandbox sandbox) {
        live.remove(sandbox.id());
    }

    private synchronized ScheduledExecutorService reaper() {
        if (reaper == null) {
            reaper = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "sandbox402-local-reaper");
                thread.setDaemon(true);
                return thread;
            });
        }
        return reaper;
    }

    @Override
    public String toString() {
        return "LocalProvider{running=" + live.size() + ", root=" + root + "}";
    }

    public static final class Builder {
        private String bwrap;
        private Path workRoot;
        private Duration defaultExecTimeout;
        private Integer maxOutputBytes;
        private Long addressSpaceBytes;
        private Long cpuSeconds;
        private Long maxFileSizeBytes;
        private Integer maxOpenFiles;
        private Integer maxPids;
        private Integer defaultMemoryMb;
        private Long maxDiskBytes;
        private Long maxTmpBytes;
        private boolean shutdownHook = true;
        private boolean cgroups = true;
        private boolean machines = true;

        private Builder() {}

        /** The bubblewrap executable, resolved once to an absolute path. Default {@code bwrap} on PATH. */
        public Builder bwrap(String bwrap) {
            this.bwrap = ensureNotBlank(bwrap, "bwrap");
            return this;
        }

        /** Where sandboxes' work directories live. Default the system temp directory. */
        public Builder workRoot(Path workRoot) {
            this.workRoot = ensureNotNull(workRoot, "workRoot");
            return this;
        }

        /** The timeout of an exec that names none. Default 60 s, BlockRun's limit. */
        public Builder defaultExecTimeout(Duration timeout) {
            this.defaultExecTimeout = positive(timeout, "timeout");
            return this;
        }

        /** The most each of stdout and stderr may hold; past it the command is stopped. Default 1 MiB. */
        public Builder maxOutputBytes(int bytes) {
            this.maxOutputBytes = positive(bytes, "bytes");
            return this;
        }

        /** The address-space limit of each process. Default 4 GiB (node reserves about 1 GiB of address space). */
        public Builder addressSpaceBytes(long bytes) {
            this.addressSpaceBytes = positive(bytes, "bytes");
            return this;
        }

        /** The CPU-time limit of each process. Default 300 s. */
        public Builder cpuSeconds(long seconds) {
            this.cpuSeconds = positive(seconds, "seconds");
            return this;
        }

        /** The largest file a process may write. Default 1 GiB. */
        public Builder maxFileSizeBytes(long bytes) {
            this.maxFileSizeBytes = positive(bytes, "bytes");
            return this;
        }

        /** Open files per process. Default 1024. */
        public Builder maxOpenFiles(int files) {
            this.maxOpenFiles = positive(files, "files");
            return this;
        }

        /**
         * Processes per sandbox: the pids limit of its cgroup where one is writable (a command that reaches
         * it is killed with every process it started, a fork bomb), else {@code RLIMIT_NPROC} of the jail's
         * user in its user namespace (per sandbox on a machine, per exec where each exec is a jail). Default 256.
         */
        public Builder maxPids(int pids) {
            this.maxPids = positive(pids, "pids");
            return this;
        }

        /** Memory of a sandbox whose spec names none, enforced where a cgroup is writable. Default 1024 MB. */
        public Builder defaultMemoryMb(int megabytes) {
            this.defaultMemoryMb = positive(megabytes, "megabytes");
            return this;
        }

        /**
         * The most a sandbox's files may take in its work directory. The JVM measures them after each exec
         * and every second: past the limit the sandbox is terminated, and its execs say why. No single
         * file may pass it ({@code RLIMIT_FSIZE}). Default 2 GiB.
         */
        public Builder maxDiskBytes(long bytes) {
            this.maxDiskBytes = positive(bytes, "bytes");
            return this;
        }

        /**
         * The size of a sandbox's {@code /tmp}, a tmpfs: past it writes fail with "No space left on
         * device". Its pages are memory, charged to the sandbox's memory limit where a cgroup applies.
         * Default 512 MiB.
         */
        public Builder maxTmpBytes(long bytes) {
            this.maxTmpBytes = positive(bytes, "bytes");
            return this;
        }

        /** Whether a JVM shutdown hook terminates sandboxes left running. Default on. */
        public Builder shutdownHook(boolean shutdownHook) {
            this.shutdownHook = shutdownHook;
            return this;
        }

        /**
         * Whether to use a cgroup where one is writable. Tests turn it off to check, as root, what a
         * machine without one does.
         */
        Builder cgroups(boolean cgroups) {
            this.cgroups = cgroups;
            return this;
        }

        /**
         * Whether a sandbox is one long-lived machine that every exec joins, where this JVM can join one
         * (root). Tests turn it off to check, as root, what other users get: a jail per exec.
         */
        Builder machines(boolean machines) {
            this.machines = machines;
            return this;
        }

        public LocalProvider build() {
            return new LocalProvider(this);
        }

        private static <N extends Number> N positive(N value, String name) {
            ensureNotNull(value, name);
            if (value.doubleValue() <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            ensureNotNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
