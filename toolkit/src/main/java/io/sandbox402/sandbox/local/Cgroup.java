package io.sandbox402.sandbox.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A sandbox's control groups, where the machine lets us write them (root, cgroup v1 or v2): a pids
 * limit that stops fork bombs (RLIMIT_NPROC does not bind root, which owns the jail's processes
 * outside it), a memory limit, and a list of every process to kill on timeout. Without a writable
 * cgroup the sandbox still runs, bounded by prlimit and bubblewrap's pid namespace.
 */
final class Cgroup {
    private static final System.Logger LOG = System.getLogger(Cgroup.class.getName());
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final List<Path> dirs;
    private final Path procs;
    private final Path pids;
    /** The execs' groups that still held processes when their exec ended. */
    private final Set<Path> execGroups = ConcurrentHashMap.newKeySet();

    private Cgroup(List<Path> dirs, Path procs, Path pids) {
        this.dirs = dirs;
        this.procs = procs;
        this.pids = pids;
    }

    /** A new group named {@code name} with the limits, or {@code null} when none can be made here. */
    static Cgroup create(String name, int maxPids, long memoryBytes) {
        List<Path> dirs = new ArrayList<>();
        Path procs = null;
        try {
            if (Files.exists(ROOT.resolve("cgroup.controllers"))) { // cgroup v2
                Path dir = ROOT.resolve("sandbox402-" + name);
                Files.createDirectory(dir);
                dirs.add(dir);
                writeIfPresent(dir.resolve("pids.max"), Integer.toString(maxPids));
                writeIfPresent(dir.resolve("memory.max"), Long.toString(memoryBytes));
                procs = dir.resolve("cgroup.procs");
            } else if (Files.isWritable(ROOT.resolve("pids"))) { // cgroup v1
                Path pids = ROOT.resolve("pids").resolve("sandbox402-" + name);
                Files.createDirectory(pids);
                dirs.add(pids);
                Files.writeString(pids.resolve("pids.max"), Integer.toString(maxPids));
                procs = pids.resolve("cgroup.procs");
                Path memory = ROOT.resolve("memory").resolve("sandbox402-" + name);
                if (Files.isWritable(memory.getParent())) {
                    Files.createDirectory(memory);
                    dirs.add(memory);
                    Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "No cgroup for sandbox {0}: {1}", name, e.toString());
            new Cgroup(dirs, procs, null).delete();
            return null;
        }
        boolean v1 = procs != null && procs.getParent().getParent().getFileName().toString().equals("pids");
        return procs == null ? null : new Cgroup(List.copyOf(dirs), procs, v1 ? procs.getParent() : null);
    }

    private static void writeIfPresent(Path file, String value) throws IOException {
        if (Files.exists(file)) {
            Files.writeString(file, value);
        }
    }

    /**
     * A pids group of one exec inside the sandbox's, where cgroup v1 allows one (v2 forbids processes
     * in a group whose children have controllers): the processes an exec starts stay in it even when
     * they detach, so a fork bomb's can all be found. {@code null} when there is none.
     */
    Path execGroup(String name) {
        if (pids == null) {
            return null;
        }
        try {
            return Files.createDirectory(pids.resolve(name));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "No cgroup for exec {0}: {1}", name, e.toString());
            return null;
        }
    }

    /** Whether a process of the exec's group was refused a fork by the pids limit. */
    static boolean hitPidsLimit(Path execGroup) {
        try {
            return Files.readAllLines(execGroup.resolve("pids.events")).stream()
                    .anyMatch(line -> line.startsWith("max ") && !line.strip().equals("max 0"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Kills every process of each exec's group that outlived its exec and was since refused a fork by
     * the pids limit: a fork bomb that detached, which would otherwise keep the sandbox at its limit.
     *
     * @return how many groups were killed
     */
    int killDetachedForkBombs() {
        int killed = 0;
        for (Path group : execGroups) {
            if (hitPidsLimit(group)) {
                killAll(group.resolve("cgroup.procs"));
                killed++;
            }
            try {
                if (Files.deleteIfExists(group) || !Files.exists(group)) {
                    execGroups.remove(group);
                }
            } catch (IOException e) {
                // processes live on in it
            }
        }
        return killed;
    }

    /** Removes the exec's group, or keeps it for terminate while processes it started live on. */
    void release(Path execGroup) {
        try {
            Files.deleteIfExists(execGroup);
        } catch (IOException e) {
            execGroups.add(execGroup);
        }
    }

    /**
     * The files a single-threaded process writes {@code 0} (itself) to, to join every controller of this
     * group: the exec's pids group instead of the sandbox's when it has one. On cgroup v1 that is
     * {@code tasks}: moving the writing thread itself skips the kernel's threadgroup lock, whose
     * write side waits for an RCU grace period (0.3 to 17 ms measured here, on every exec, through
     * {@code cgroup.procs}); for a process of one thread, the thread is the process.
     */
    List<Path> joinFiles(Path execGroup) {
        String file = pids != null ? "tasks" : "cgroup.procs";
        List<Path> files = new ArrayList<>();
        for (Path dir : dirs) {
            files.add(execGroup != null && dir.equals(pids) ? execGroup.resolve(file) : dir.resolve(file));
        }
        return files;
    }

    /** Kills every process in the group and its execs' groups, until none is left or two seconds passed. */
    void killAll() {
        execGroups.forEach(group -> killAll(group.resolve("cgroup.procs")));
        killAll(procs);
    }

    /** Kills every process listed in {@code procs}, until none is left or two seconds passed. */
    static void killAll(Path procs) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> pids;
            try {
                pids = Files.readAllLines(procs);
            } catch (IOException e) {
                return;
            }
            if (pids.isEmpty()) {
                return;
            }
            for (String pid : pids) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Removes the group and its execs' groups, those an exec still holds included (terminate may run
     * while one ends). A group whose last process is still being reaped cannot be removed yet, so
     * this retries for up to two seconds.
     */
    void delete() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (Path dir : dirs) {
            while (true) {
                try {
                    try (Stream<Path> children = Files.list(dir)) {
                        for (Path child : children.filter(Files::isDirectory).toList()) {
                            killAll(child.resolve("cgroup.procs"));
                            Files.deleteIfExists(child);
                        }
                    }
                    Files.deleteIfExists(dir);
                    break;
                } catch (NoSuchFileException e) {
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        LOG.log(System.Logger.Level.WARNING, "Cannot remove cgroup {0}: {1}", dir, e.toString());
                        break;
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        execGroups.clear();
    }
}
