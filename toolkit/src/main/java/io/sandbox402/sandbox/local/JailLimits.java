package io.sandbox402.sandbox.local;

import static io.sandbox402.internal.Checks.ensurePositive;

import java.util.List;

/**
 * What one local sandbox may use: the {@code prlimit} bounds of each process, its processes and memory
 * (a cgroup's, where one is writable), and the size of its files and of its {@code /tmp}. Immutable.
 *
 * @param addressSpaceBytes the address space of each process
 * @param cpuSeconds the CPU time of each process
 * @param maxFileSizeBytes the largest file a process may write
 * @param maxOpenFiles open files per process
 * @param maxPids processes per sandbox
 * @param defaultMemoryMb memory of a sandbox whose spec names none
 * @param maxDiskBytes what the sandbox's files may take in its work directory
 * @param maxTmpBytes the size of its {@code /tmp} tmpfs
 */
record JailLimits(long addressSpaceBytes, long cpuSeconds, long maxFileSizeBytes, int maxOpenFiles, int maxPids,
        int defaultMemoryMb, long maxDiskBytes, long maxTmpBytes) {

    /** Node reserves about 1 GiB of address space, hence 4 GiB; the rest as documented on {@link LocalProvider.Builder}. */
    static final JailLimits DEFAULTS = new JailLimits(4L << 30, 300, 1L << 30, 1024, 256, 1024, 2L << 30, 512L << 20);

    JailLimits {
        ensurePositive(addressSpaceBytes, "addressSpaceBytes");
        ensurePositive(cpuSeconds, "cpuSeconds");
        ensurePositive(maxFileSizeBytes, "maxFileSizeBytes");
        ensurePositive(maxOpenFiles, "maxOpenFiles");
        ensurePositive(maxPids, "maxPids");
        ensurePositive(defaultMemoryMb, "defaultMemoryMb");
        ensurePositive(maxDiskBytes, "maxDiskBytes");
        ensurePositive(maxTmpBytes, "maxTmpBytes");
    }

    /**
     * The bounds {@code prlimit} sets inside every jail before the command. No file may be larger than
     * the disk limit, so one write cannot pass it by much before the check after the exec sees it.
     * RLIMIT_NPROC counts the processes of the jail's user in its user namespace (since Linux 5.14), but
     * the kernel exempts processes whose user is the host's root, whatever the namespace: started by root,
     * only the cgroup's pids limit bounds a fork bomb. With a {@code cgroup} it is set above that limit,
     * whose hits can be seen (and a fork bomb stopped), and only backs it up.
     */
    List<String> prlimitArguments(boolean cgroup) {
        return List.of("--as=" + addressSpaceBytes, "--cpu=" + cpuSeconds,
                "--fsize=" + Math.min(maxFileSizeBytes, maxDiskBytes), "--nofile=" + maxOpenFiles,
                "--nproc=" + (cgroup ? 2 * maxPids : maxPids), "--core=0");
    }
}
