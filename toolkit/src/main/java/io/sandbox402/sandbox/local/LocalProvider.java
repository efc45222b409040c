package io.sandbox402.sandbox.local;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;
import static io.sandbox402.internal.Checks.ensurePositive;

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
 *
 * <p>Thread-safe: sandboxes may be created, used and terminated from any thread.
 */
public final class LocalProvider implements SandboxProvider {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Setup commands install packages: give them as long as BlockRun does. */
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(300);

    private final Duration defaultExecTimeout;
    private final int maxOutputBytes;
    private final JailLimits limits;
    private final boolean cgroups;
    private final boolean machinesAllowed;
    private final Path root;
    private final HostProbe probe;
    private final Reaper reaper = new Reaper();
    private final Map<String, LocalSandbox> live = new ConcurrentHashMap<>();
    private final ShutdownHook shutdownHook;
    private volatile boolean closed;

    private LocalProvider(Builder builder) {
        this.defaultExecTimeout = builder.defaultExecTimeout;
        this.maxOutputBytes = builder.maxOutputBytes;
        this.limits = new JailLimits(builder.addressSpaceBytes, builder.cpuSeconds, builder.maxFileSizeBytes,
                builder.maxOpenFiles, builder.maxPids, builder.defaultMemoryMb, builder.maxDiskBytes, builder.maxTmpBytes);
        this.cgroups = builder.cgroups;
        this.machinesAllowed = builder.machines;
        try {
            Path base = builder.workRoot == null ? Path.of(System.getProperty("java.io.tmpdir")) : builder.workRoot;
            Files.createDirectories(base);
            this.root = Files.createTempDirectory(base, "sandbox402-");
        } catch (IOException e) {
            throw new SandboxException("Cannot create the local sandboxes' directory: " + e.getMessage(), e);
        }
        this.probe = new HostProbe(builder.bwrap, root);
        this.shutdownHook = ShutdownHook.registerIf(builder.shutdownHook, "sandbox402-local-shutdown", this::close);
    }

    /**
     * A provider with the defaults: 60 s exec timeout, 1 MiB output cap, 1024 MB memory, 256 processes,
     * 2 GiB of files and a 512 MiB {@code /tmp} per sandbox.
     *
     * @return a new provider; bubblewrap is probed when first needed
     */
    public static LocalProvider create() {
        return builder().build();
    }

    /** {@return a builder; every option has a default} */
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
        int memoryMb = spec.memoryMb() == null ? limits.defaultMemoryMb() : spec.memoryMb();
        Cgroup cgroup = cgroups ? Cgroup.create(id, limits.maxPids(), (long) memoryMb << 20) : null;
        LocalSandbox sandbox = new LocalSandbox(id, workDir, tmpDir, spec.network(), cgroup, this);
        live.put(id, sandbox);
        try {
            sandbox.start();
        } catch (RuntimeException e) {
            sandbox.terminate();
            throw e;
        }
        reaper.watch(sandbox, spec.timeout());
        for (String command : spec.setupCommands()) {
            ExecResult result = sandbox.exec(ExecRequest.shell(command).withTimeout(SETUP_TIMEOUT));
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
                ? "local: " + probe.host().version() + " jails on this machine (no network by default)"
                : "local: " + reason;
    }

    /** Why sandboxes cannot be made here, or {@code null}. Probed once per provider, when first asked. */
    String unavailableReason() {
        return probe.unavailableReason();
    }

    /** {@return how many sandboxes of this provider are running} */
    public int runningSandboxes() {
        return live.size();
    }

    /** Terminates every sandbox still running and deletes their files. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LocalSandbox sandbox : List.copyOf(live.values())) {
            sandbox.terminate();
        }
        reaper.close();
        LocalSandbox.deleteRecursively(root);
        ShutdownHook.remove(shutdownHook);
    }

    Bubblewrap bubblewrap() {
        return probe.bubblewrap();
    }

    Duration defaultExecTimeout() {
        return defaultExecTimeout;
    }

    int maxOutputBytes() {
        return maxOutputBytes;
    }

    /** The {@code prlimit} arguments of every jail: see {@link JailLimits#prlimitArguments}. */
    List<String> limits(boolean cgroup) {
        return limits.prlimitArguments(cgroup);
    }

    int maxPids() {
        return limits.maxPids();
    }

    long maxDiskBytes() {
        return limits.maxDiskBytes();
    }

    long maxTmpBytes() {
        return limits.maxTmpBytes();
    }

    /** Whether each sandbox is one long-lived machine that execs join, or each exec a jail of its own. */
    boolean machines() {
        Bubblewrap.Host host = probe.host();
        return machinesAllowed && host != null && host.machines();
    }

    void forget(LocalSandbox sandbox) {
        live.remove(sandbox.id());
    }

    @Override
    public String toString() {
        return "LocalProvider{running=" + live.size() + ", root=" + root + "}";
    }

    /** Options of a {@link LocalProvider}; each setter checks its value. Not thread-safe: build on one thread. */
    public static final class Builder {
        private String bwrap = "bwrap";
        private Path workRoot;
        private Duration defaultExecTimeout = Duration.ofSeconds(60);
        private int maxOutputBytes = 1024 * 1024;
        private long addressSpaceBytes = JailLimits.DEFAULTS.addressSpaceBytes();
        private long cpuSeconds = JailLimits.DEFAULTS.cpuSeconds();
        private long maxFileSizeBytes = JailLimits.DEFAULTS.maxFileSizeBytes();
        private int maxOpenFiles = JailLimits.DEFAULTS.maxOpenFiles();
        private int maxPids = JailLimits.DEFAULTS.maxPids();
        private int defaultMemoryMb = JailLimits.DEFAULTS.defaultMemoryMb();
        private long maxDiskBytes = JailLimits.DEFAULTS.maxDiskBytes();
        private long maxTmpBytes = JailLimits.DEFAULTS.maxTmpBytes();
        private boolean shutdownHook = true;
        private boolean cgroups = true;
        private boolean machines = true;

        private Builder() {}

        /**
         * The bubblewrap executable, resolved once to an absolute path. Default {@code bwrap} on PATH.
         *
         * @param bwrap a command name looked up on PATH, or a path
         * @return this builder
         */
        public Builder bwrap(String bwrap) {
            this.bwrap = ensureNotBlank(bwrap, "bwrap");
            return this;
        }

        /**
         * Where sandboxes' work directories live. Default the system temp directory.
         *
         * @param workRoot a directory, created if missing; each provider makes its own directory inside it
         * @return this builder
         */
        public Builder workRoot(Path workRoot) {
            this.workRoot = ensureNotNull(workRoot, "workRoot");
            return this;
        }

        /**
         * The timeout of an exec that names none. Default 60 s, BlockRun's limit.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder defaultExecTimeout(Duration timeout) {
            this.defaultExecTimeout = ensurePositive(timeout, "defaultExecTimeout");
            return this;
        }

        /**
         * The most each of stdout and stderr may hold; past it the command is stopped. Default 1 MiB.
         *
         * @param bytes positive
         * @return this builder
         */
        public Builder maxOutputBytes(int bytes) {
            this.maxOutputBytes = ensurePositive(bytes, "maxOutputBytes");
            return this;
        }

        /**
         * The address-space limit of each process. Default 4 GiB (node reserves about 1 GiB of address space).
         *
         * @param bytes positive ({@code RLIMIT_AS})
         * @return this builder
         */
        public Builder addressSpaceBytes(long bytes) {
            this.addressSpaceBytes = ensurePositive(bytes, "addressSpaceBytes");
            return this;
        }

        /**
         * The CPU-time limit of each process. Default 300 s.
         *
         * @param seconds whole seconds, positive ({@code RLIMIT_CPU})
         * @return this builder
         */
        public Builder cpuSeconds(long seconds) {
            this.cpuSeconds = ensurePositive(seconds, "cpuSeconds");
            return this;
        }

        /**
         * The largest file a process may write. Default 1 GiB.
         *
         * @param bytes positive ({@code RLIMIT_FSIZE})
         * @return this builder
         */
        public Builder maxFileSizeBytes(long bytes) {
            this.maxFileSizeBytes = ensurePositive(bytes, "maxFileSizeBytes");
            return this;
        }

        /**
         * Open files per process. Default 1024.
         *
         * @param files positive ({@code RLIMIT_NOFILE})
         * @return this builder
         */
        public Builder maxOpenFiles(int files) {
            this.maxOpenFiles = ensurePositive(files, "maxOpenFiles");
            return this;
        }

        /**
         * Processes per sandbox: the pids limit of its cgroup where one is writable (a command that reaches
         * it is killed with every process it started, a fork bomb), else {@code RLIMIT_NPROC} of the jail's
         * user in its user namespace (per sandbox on a machine, per exec where each exec is a jail). Default 256.
         *
         * @param pids positive
         * @return this builder
         */
        public Builder maxPids(int pids) {
            this.maxPids = ensurePositive(pids, "maxPids");
            return this;
        }

        /**
         * Memory of a sandbox whose spec names none, enforced where a cgroup is writable. Default 1024 MB.
         *
         * @param megabytes positive
         * @return this builder
         */
        public Builder defaultMemoryMb(int megabytes) {
            this.defaultMemoryMb = ensurePositive(megabytes, "defaultMemoryMb");
            return this;
        }

        /**
         * The most a sandbox's files may take in its work directory. The JVM measures them after each exec
         * and every second: past the limit the sandbox is terminated, and its execs say why. No single
         * file may pass it ({@code RLIMIT_FSIZE}). Default 2 GiB.
         *
         * @param bytes positive
         * @return this builder
         */
        public Builder maxDiskBytes(long bytes) {
            this.maxDiskBytes = ensurePositive(bytes, "maxDiskBytes");
            return this;
        }

        /**
         * The size of a sandbox's {@code /tmp}, a tmpfs: past it writes fail with "No space left on
         * device". Its pages are memory, charged to the sandbox's memory limit where a cgroup applies.
         * Default 512 MiB.
         *
         * @param bytes positive
         * @return this builder
         */
        public Builder maxTmpBytes(long bytes) {
            this.maxTmpBytes = ensurePositive(bytes, "maxTmpBytes");
            return this;
        }

        /**
         * Whether a JVM shutdown hook terminates sandboxes left running. Default on.
         *
         * @param shutdownHook {@code false} when the caller terminates its sandboxes itself
         * @return this builder
         */
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

        /**
         * Builds the provider; its directory is made now, bubblewrap is probed when first needed.
         *
         * @return a new provider; close it to terminate its sandboxes and delete their files
         * @throws SandboxException when the sandboxes' directory cannot be made
         */
        public LocalProvider build() {
            return new LocalProvider(this);
        }
    }
}
