package io.sandbox402.sandbox.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The bubblewrap command lines of the local sandbox: a sandbox's machine (one long-lived jail whose
 * namespaces every exec joins) and, where no machine can be joined, one jail per exec. Both see
 * read-only system directories and interpreters, the sandbox's work directory as {@code /work}, a
 * private {@code /tmp}, and an empty environment but for {@code PATH}, {@code HOME} and {@code LANG}.
 */
final class Bubblewrap {
    private static final System.Logger LOG = System.getLogger(Bubblewrap.class.getName());
    static final String WORK_DIR = "/work";
    /** Where a machine holds its sandbox's id, which an exec checks before it runs. */
    static final String ID_FILE = "/.sandbox402-id";
    /** The few files of /etc that programs need; the rest of the host's /etc (shadow, keys) stays out. */
    private static final List<String> ETC = List.of("/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf",
            "/etc/ld.so.conf.d", "/etc/ssl", "/etc/ca-certificates", "/etc/localtime", "/etc/nsswitch.conf",
            "/etc/mime.types");
    private static final List<String> NETWORK_ETC = List.of("/etc/resolv.conf", "/etc/hosts");
    /** What a probe found, per bubblewrap executable: probing costs a few jails, so a JVM does it once. */
    private static final Map<String, Host> HOSTS = new ConcurrentHashMap<>();
    private static final Map<String, String> VERSIONS = new ConcurrentHashMap<>();
    private static final String PROBE_CACHE_FILE = "local-probe";
    /** The longest program an exec writes from its arguments: one argument may hold 128 KiB (MAX_ARG_STRLEN). */
    static final int MAX_INLINE_PROGRAM_BYTES = 64 * 1024;

    private final Tools tools;
    private final List<Path> interpreterDirs;
    private final Path passwd;

    private Bubblewrap(Tools tools, List<Path> interpreterDirs, Path passwd) {
        this.tools = tools;
        this.interpreterDirs = interpreterDirs;
        this.passwd = passwd;
    }

    /**
     * The programs the host side starts, by absolute path, found once. The jail binds the host's
     * {@code /usr}, so the same paths name the same files inside it.
     */
    record Tools(String bwrap, String sh, String sleep, String nsenter, String setsid, String setpriv, String env,
            String prlimit, String kill) {}

    /**
     * What a probe of this machine found.
     *
     * @param unavailableReason why no sandbox can be made here, or {@code null}
     * @param tools the programs, {@code null} when unavailable
     * @param interpreterDirs directories outside {@code /usr} that hold python3 and node
     * @param machines whether execs can join a long-lived machine (root, with nsenter and setpriv)
     */
    record Host(String unavailableReason, Tools tools, List<Path> interpreterDirs, boolean machines) {
        /** bubblewrap's version line, for descriptions: asked when first needed, not by the probe. */
        String version() {
            return tools == null ? "bubblewrap" : VERSIONS.computeIfAbsent(tools.bwrap(), bwrap -> {
                Result result = run(List.of(bwrap, "--version"));
                return result == null ? "bubblewrap" : result.output.strip();
            });
        }
    }

    /** Finds bwrap and proves it can make a jail here, once per JVM and executable. */
    static Host host(String bwrap) {
        return HOSTS.computeIfAbsent(bwrap, Bubblewrap::probe);
    }

    private static Host probe(String bwrap) {
        return probe(bwrap, cacheDir().resolve(PROBE_CACHE_FILE));
    }

    /**
     * Probes {@code bwrap}, or trusts {@code cacheFile} when it says this very executable (path, size,
     * modification time) made a jail since the machine booted, for this user: the jail costs a process
     * start that every CLI run would pay. Only a success is remembered; a failure is probed again.
     */
    static Host probe(String bwrap, Path cacheFile) {
        String absolute = resolve(bwrap);
        String identity = absolute == null ? null : identity(absolute);
        boolean known = identity != null && identity.equals(firstLine(cacheFile));
        Result jail = absolute == null ? null : known ? new Result(0, "") : run(List.of(absolute, "--unshare-all",
                "--die-with-parent", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64",
                "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "/bin/true"));
        if (jail != null && jail.exitCode == 0 && !known && identity != null) {
            remember(cacheFile, identity);
        }
        if (jail == null) {
            return unavailable("bubblewrap (" + bwrap + ") not found on PATH; the local sandbox needs it. "
                    + "Install it (apt-get install bubblewrap) or use --sandbox blockrun.");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/prlimit"))) {
            return unavailable("prlimit not found in /usr/bin; the local sandbox needs it to bound what sandboxed code"
                    + " may use. Install it (apt-get install util-linux) or use --sandbox blockrun.");
        }
        if (jail.exitCode != 0) {
            return unavailable("bubblewrap is installed but cannot create a sandbox here (" + jail.output.strip() + ")"
                    + ". It needs user namespaces: on Ubuntu 23.10 and later AppArmor restricts them"
                    + " (sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile for bwrap);"
                    + " elsewhere check kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0;"
                    + " in a container, allow it (for instance --privileged). Or use --sandbox blockrun.");
        }
        Tools tools = new Tools(absolute, "/usr/bin/sh", "/usr/bin/sleep", "/usr/bin/nsenter", "/usr/bin/setsid",
                "/usr/bin/setpriv", "/usr/bin/env", "/usr/bin/prlimit", "/usr/bin/kill");
        boolean utilLinux = Stream.of(tools.nsenter(), tools.setsid(), tools.setpriv(), tools.env(), tools.sleep(),
                tools.kill()).allMatch(tool -> Files.isExecutable(Path.of(tool)));
        return new Host(null, tools, interpreterDirsOutsideUsr(), utilLinux && isRoot());
    }

    /** Where the local sandbox keeps what it learnt of this machine: {@code sandbox402.cacheDir}, else the user's cache. */
    static Path cacheDir() {
        String configured = System.getProperty("sandbox402.cacheDir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && xdg.startsWith("/") ? Path.of(xdg, "sandbox402")
                : Path.of(System.getProperty("user.home"), ".cache", "sandbox402");
    }

    /** What a cached probe must match: the executable, this boot (sysctls may change), this user. */
    static String identity(String executable) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(Path.of(executable), BasicFileAttributes.class);
            String boot = firstLine(Path.of("/proc/sys/kernel/random/boot_id"));
            return boot == null ? null : "bwrap-jail-ok " + executable + " " + attributes.size() + " "
                    + attributes.lastModifiedTime().toMillis() + " boot " + boot + " user " + System.getProperty("user.name");
        } catch (IOException e) {
            return null;
        }
    }

    private static void remember(Path cacheFile, String identity) {
        try {
            Files.createDirectories(cacheFile.getParent());
            Path temporary = Files.createTempFile(cacheFile.getParent(), PROBE_CACHE_FILE, ".tmp");
            Files.writeString(temporary, identity + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cannot cache the local sandbox's probe in {0}: {1}", cacheFile, e.toString());
        }
    }

    private static Host unavailable(String reason) {
        return new Host(reason, null, List.of(), false);
    }

    /**
     * Whether this JVM runs as root. A user other than root gets two nested user namespaces from
     * bubblewrap, and util-linux 2.38's nsenter enters the inner one only, which owns none of the
     * jail's other namespaces: joining a machine needs root.
     */
    static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code program} as an absolute path: itself when it has a slash, else the first match on PATH. */
    static String resolve(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program)) ? Path.of(program).toAbsolutePath().toString() : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().toString();
            }
        }
        return null;
    }

    static Bubblewrap create(Host host, Path root) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path prefix : host.interpreterDirs()) {
            if (exposesTooMuch(prefix, root)) {
                LOG.log(System.Logger.Level.WARNING, "Not binding interpreter directory {0} into local sandboxes: it"
                        + " holds more than an interpreter (a home directory or a top-level directory).", prefix);
                continue;
            }
            dirs.add(prefix);
        }
        Path passwd = root.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/sh\nsandbox:x:1000:1000:sandbox:" + WORK_DIR + ":/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", StandardCharsets.UTF_8);
        return new Bubblewrap(host.tools(), List.copyOf(dirs), passwd);
    }

    Tools tools() {
        return tools;
    }

    /** The interpreter directories outside {@code /usr} (bound already) to bind into jails. */
    private static List<Path> interpreterDirsOutsideUsr() {
        return interpreterPrefixes().stream().filter(prefix -> !prefix.startsWith("/usr")).distinct().toList();
    }

    /**
     * The directories the interpreters live under, resolved past shims without starting them (a pyenv
     * shim costs about 90 ms): a pyenv shim's version comes from PYENV_VERSION, a .python-version file
     * or pyenv's global version file, as pyenv itself decides; a virtualenv's python needs its base
     * installation too; node's prefix is two levels above its real binary. Only when a shim cannot be
     * read that way is Python asked for {@code sys.prefix} and {@code sys.base_prefix}.
     */
    static List<Path> interpreterPrefixes() {
        List<Path> prefixes = new ArrayList<>();
        String python = resolve("python3");
        if (python != null) {
            Path candidate = Path.of(python);
            Path pyenvVersion = candidate.getParent().getFileName().toString().equals("shims")
                    ? pyenvPrefix(candidate.getParent().getParent()) : null;
            if (pyenvVersion != null) {
                prefixes.add(pyenvVersion);
            } else if (candidate.getParent().getFileName().toString().equals("shims")) {
                askPython(prefixes);
            } else {
                Path venv = candidate.getParent().getParent();
                if (venv != null && Files.exists(venv.resolve("pyvenv.cfg"))) {
                    prefixes.add(venv);
                }
                addPrefixOfRealBinary(candidate, prefixes);
            }
        }
        String node = resolve("node");
        if (node != null) {
            addPrefixOfRealBinary(Path.of(node), prefixes);
        }
        return prefixes;
    }

    private static void addPrefixOfRealBinary(Path binary, List<Path> prefixes) {
        try {
            Path real = binary.toRealPath();
            if (real.getParent() != null && real.getParent().getParent() != null) {
                prefixes.add(real.getParent().getParent());
            }
        } catch (IOException e) {
            // a dangling link: nothing to bind
        }
    }

    /** The installation a pyenv shim runs, or {@code null} when it is not plain to see. */
    private static Path pyenvPrefix(Path pyenvRoot) {
        String version = System.getenv("PYENV_VERSION");
        if (version == null) {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null && version == null; dir = dir.getParent()) {
                version = firstLine(dir.resolve(".python-version"));
            }
        }
        if (version == null) {
            version = firstLine(pyenvRoot.resolve("version"));
        }
        if (version == null) {
            return null;
        }
        version = version.split(":")[0].strip();
        Path prefix = pyenvRoot.resolve("versions").resolve(version);
        return !version.isEmpty() && Files.isExecutable(prefix.resolve("bin/python3")) ? prefix : null;
    }

    private static String firstLine(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).findFirst().orElse(null) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void askPython(List<Path> prefixes) {
        Result python = run(List.of("python3", "-c", "import sys; print(sys.prefix); print(sys.base_prefix)"));
        if (python != null && python.exitCode == 0) {
            python.output.lines().map(String::strip).filter(line -> line.startsWith("/")).map(Path::of)
                    .forEach(prefixes::add);
        }
    }

    /**
     * Whether binding {@code prefix} would show sandboxed code more than an interpreter: {@code /} or a
     * top-level directory ({@code /opt}, {@code /home}), the user's home or a parent of it (Python built
     * with {@code --prefix=$HOME}), or the sandboxes' own directory.
     */
    static boolean exposesTooMuch(Path prefix, Path root) {
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
        Path normalized = prefix.toAbsolutePath().normalize();
        return normalized.getNameCount() < 2 || home.startsWith(normalized) || root.toAbsolutePath().startsWith(normalized);
    }

    List<Path> interpreterDirs() {
        return interpreterDirs;
    }

    /**
     * The jail's PATH: read-only interpreter and system directories first, {@code /work/.local/bin}
     * (where {@code pip install --user} puts scripts) last, so a program sandboxed code writes there can
     * never stand in for {@code sh} or {@code python3}.
     */
    String jailPath() {
        StringBuilder path = new StringBuilder();
        for (Path dir : interpreterDirs) {
            path.append(dir.resolve("bin")).append(':');
        }
        return path.append("/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin:").append(WORK_DIR)
                .append("/.local/bin").toString();
    }

    /**
     * The command line of a sandbox's machine: a jail in its own namespaces (user, mount, pid, ipc, uts,
     * cgroup and, unless {@code network}, net) with the sandbox's work directory as {@code /work} and a
     * tmpfs of {@code tmpBytes} as {@code /tmp}, whose pid 1 is a shell that prints {@code ready}, then
     * reaps orphans for as long as the machine lives. As pid 1 of its namespace it receives no signal
     * from sandboxed code that it does not handle, so no sandboxed code can stop the machine; the host
     * stops it by killing bubblewrap, which takes every process of the namespace with it.
     */
    List<String> machineCommand(Path workDir, Path idFile, boolean network, long tmpBytes) {
        List<String> command = jail(workDir, network);
        command.addAll(List.of("--as-pid-1", "--size", Long.toString(tmpBytes), "--tmpfs", "/tmp",
                "--ro-bind", idFile.toString(), ID_FILE,
                "--", tools.sh(), "-c", "trap '' HUP INT TERM QUIT; echo ready; while :; do " + tools.sleep()
                        + " 86400 & wait; done"));
        return command;
    }

    /**
     * The command line of one exec on a running machine whose pid 1 has host pid {@code machinePid}:
     * {@code nsenter} joins every namespace of the machine (so the exec sees its processes, its
     * {@code /tmp} and its loopback), takes uid and gid 1000, which holds no capability in the jail's
     * user namespace (its root is unmapped), and forks into the pid namespace; a shell checks that the
     * jail holds {@code id} in {@link #ID_FILE} (should the machine's pid 1 have died and its pid gone
     * to another jail's process, the command must not run there) and writes {@code program}, when
     * given, to its path (a program passed inline saves starting an interpreter to decode it);
     * {@code setsid} detaches the command from the host's terminal, {@code setpriv --no-new-privs}
     * stops setuid programs and file capabilities, and {@code prlimit} applies {@code limits}. The
     * process is started with {@link #environment()} as its whole environment, which every program of
     * the chain passes on. Every program is named by its absolute host path, found once: nothing
     * sandboxed code writes can stand in for one.
     */
    List<String> execCommand(long machinePid, String id, List<String> limits, List<String> argv) {
        return execCommand(machinePid, id, limits, argv, null);
    }

    /**
     * A program file an exec writes in the jail before it runs the command: at most
     * {@link #MAX_INLINE_PROGRAM_BYTES} of text without NUL, passed as one argument.
     */
    record InlineFile(String path, String content) {}

    List<String> execCommand(long machinePid, String id, List<String> limits, List<String> argv, InlineFile program) {
        List<String> command = new ArrayList<>(List.of(tools.nsenter(), "--target", Long.toString(machinePid),
                "--user", "--mount", "--net", "--pid", "--ipc", "--uts", "--cgroup", "--root", "--wd",
                "--setuid", "1000", "--setgid", "1000", "--",
                tools.sh(), "-c", "read -r id < " + ID_FILE + " && [ \"$id\" = \"$0\" ] || { echo \"sandbox402: this"
                        + " is not the machine of sandbox $0\" >&2; exit 125; }; set -C; [ -z \"$1\" ] || printf %s \"$2\""
                        + " > \"$1\" || exit 125; shift 2; exec \"$@\"", id,
                program == null ? "" : program.path(), program == null ? "" : program.content(),
                tools.setsid(), "--wait", tools.setpriv(), "--no-new-privs", "--"));
        command.add(tools.prlimit());
        command.addAll(limits);
        command.add("--");
        command.addAll(argv);
        return command;
    }

    /**
     * The command line that runs {@code argv} in a jail of its own on {@code workDir}, with {@code tmpDir}
     * as {@code /tmp}: where no machine can be joined (a user other than root), every exec is a jail,
     * and processes it leaves behind die with it. The limits apply inside the jail: RLIMIT_NPROC counts
     * the processes of a user in a user namespace and all its parents, with the limit that held when the
     * namespace was made, so set outside it would count every process of the host user (a desktop has
     * more than 256 threads) and stop bubblewrap itself from forking.
     */
    List<String> command(Path workDir, Path tmpDir, boolean network, List<String> limits, List<String> argv) {
        List<String> command = jail(workDir, network);
        command.addAll(List.of("--bind", tmpDir.toString(), "/tmp"));
        environment().forEach((name, value) -> command.addAll(List.of("--setenv", name, value)));
        command.add("--");
        command.add(tools.prlimit());
        command.addAll(limits);
        command.add("--");
        command.addAll(argv);
        return command;
    }

    /** The whole environment of sandboxed commands. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", jailPath());
        environment.put("HOME", WORK_DIR);
        environment.put("USER", "sandbox");
        environment.put("LANG", "C.UTF-8");
        environment.put("TMPDIR", "/tmp");
        return environment;
    }

    /** The namespaces and mounts every jail shares. */
    private List<String> jail(Path workDir, boolean network) {
        List<String> command = new ArrayList<>(List.of(tools.bwrap(),
                "--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--cap-drop", "ALL",
                "--uid", "1000", "--gid", "1000", "--hostname", "sandbox",
                "--ro-bind", "/usr", "/usr",
                "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
                "--proc", "/proc", "--dev", "/dev",
                "--ro-bind", passwd.toString(), "/etc/passwd"));
        List<String> etc = new ArrayList<>(ETC);
        if (network) {
            command.add("--share-net");
            etc.addAll(NETWORK_ETC);
        }
        for (String path : etc) {
            command.addAll(List.of("--ro-bind-try", path, path));
        }
        for (Path dir : interpreterDirs) {
            command.addAll(List.of("--ro-bind", dir.toString(), dir.toString()));
        }
        command.addAll(List.of("--bind", workDir.toString(), WORK_DIR, "--chdir", WORK_DIR));
        return command;
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
