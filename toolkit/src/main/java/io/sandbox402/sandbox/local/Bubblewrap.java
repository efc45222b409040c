package io.sandbox402.sandbox.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The bubblewrap command line of one exec: fresh namespaces, read-only system directories and
 * interpreters, a private {@code /tmp}, the sandbox's work directory as {@code /work}, and an empty
 * environment but for {@code PATH}, {@code HOME} and {@code LANG}.
 */
final class Bubblewrap {
    private static final System.Logger LOG = System.getLogger(Bubblewrap.class.getName());
    static final String WORK_DIR = "/work";
    /** The few files of /etc that programs need; the rest of the host's /etc (shadow, keys) stays out. */
    private static final List<String> ETC = List.of("/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf",
            "/etc/ld.so.conf.d", "/etc/ssl", "/etc/ca-certificates", "/etc/localtime", "/etc/nsswitch.conf",
            "/etc/mime.types");
    private static final List<String> NETWORK_ETC = List.of("/etc/resolv.conf", "/etc/hosts");

    private final String bwrap;
    private final List<Path> interpreterDirs;
    private final Path passwd;

    private Bubblewrap(String bwrap, List<Path> interpreterDirs, Path passwd) {
        this.bwrap = bwrap;
        this.interpreterDirs = interpreterDirs;
        this.passwd = passwd;
    }

    /**
     * Finds bwrap and proves it can make a jail here.
     *
     * @return the reason it cannot, or {@code null} when it can
     */
    static String probe(String bwrap) {
        List<String> version = List.of(bwrap, "--version");
        Result result = run(version);
        if (result == null) {
            return "bubblewrap (" + bwrap + ") not found on PATH; the local sandbox needs it. "
                    + "Install it (apt-get install bubblewrap) or use --sandbox blockrun.";
        }
        if (!Files.isExecutable(Path.of("/usr/bin/prlimit"))) {
            return "prlimit not found in /usr/bin; the local sandbox needs it to bound what sandboxed code may use. "
                    + "Install it (apt-get install util-linux) or use --sandbox blockrun.";
        }
        Result jail = run(List.of(bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr",
                "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
                "--proc", "/proc", "--dev", "/dev", "/bin/true"));
        if (jail == null || jail.exitCode != 0) {
            return "bubblewrap is installed but cannot create a sandbox here"
                    + (jail == null ? "" : " (" + jail.output.strip() + ")")
                    + ". It needs user namespaces: on Ubuntu 23.10 and later AppArmor restricts them"
                    + " (sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile for bwrap);"
                    + " elsewhere check kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0;"
                    + " in a container, allow it (for instance --privileged). Or use --sandbox blockrun.";
        }
        return null;
    }

    /** The version line, for descriptions. */
    static String version(String bwrap) {
        Result result = run(List.of(bwrap, "--version"));
        return result == null ? "bubblewrap" : result.output.strip();
    }

    static Bubblewrap create(String bwrap, Path root) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path prefix : interpreterPrefixes()) {
            if (prefix.startsWith("/usr")) {
                continue; // bound already
            }
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
        return new Bubblewrap(bwrap, List.copyOf(dirs), passwd);
    }

    /**
     * The directories the interpreters live under, resolved past shims: python3 on PATH may be a pyenv
     * shim, so ask Python itself for {@code sys.prefix}, and for {@code sys.base_prefix} too, which a
     * virtualenv's python links into; node's is two levels above its real binary.
     */
    private static List<Path> interpreterPrefixes() {
        List<Path> prefixes = new ArrayList<>();
        Result python = run(List.of("python3", "-c", "import sys; print(sys.prefix); print(sys.base_prefix)"));
        if (python != null && python.exitCode == 0) {
            python.output.lines().map(String::strip).filter(line -> line.startsWith("/")).map(Path::of)
                    .forEach(prefixes::add);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "node");
            if (Files.isExecutable(candidate)) {
                try {
                    Path real = candidate.toRealPath();
                    if (real.getParent() != null && real.getParent().getParent() != null) {
                        prefixes.add(real.getParent().getParent());
                    }
                } catch (IOException e) {
                    // a dangling link: no node to bind
                }
                break;
            }
        }
        return prefixes;
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
     * The command line that runs {@code argv} in a jail on {@code workDir} under {@code limits} (a
     * {@code prlimit} command without its program). The limits apply inside the jail: RLIMIT_NPROC
     * counts the processes of a user in a user namespace and all its parents, with the limit that held
     * when the namespace was made, so set outside it would count every process of the host user (a
     * desktop has more than 256 threads) and stop bubblewrap itself from forking.
     */
    List<String> command(Path workDir, boolean network, List<String> limits, List<String> argv) {
        List<String> command = new ArrayList<>(List.of(bwrap,
                "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
                "--uid", "1000", "--gid", "1000", "--hostname", "sandbox",
                "--ro-bind", "/usr", "/usr",
                "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                "--ro-bind", passwd.toString(), "/etc/passwd"));
        List<String> etc = new ArrayList<>(ETC);
        if (network) {
            command.add("--share-net");
            etc.addAll(NETWORK_ETC);
        }
        for (String path : etc) {
            command.addAll(List.of("--ro-bind-try", path, path));
        }
        StringBuilder path = new StringBuilder();
        for (Path dir : interpreterDirs) {
            command.addAll(List.of("--ro-bind", dir.toString(), dir.toString()));
            path.append(dir.resolve("bin")).append(':');
        }
        path.append(WORK_DIR).append("/.local/bin:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");
        command.addAll(List.of("--bind", workDir.toString(), WORK_DIR, "--chdir", WORK_DIR,
                "--setenv", "PATH", path.toString(),
                "--setenv", "HOME", WORK_DIR,
                "--setenv", "USER", "sandbox",
                "--setenv", "LANG", "C.UTF-8",
                "--setenv", "TMPDIR", "/tmp",
                "--"));
        command.addAll(limits);
        command.add("--");
        command.addAll(argv);
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
