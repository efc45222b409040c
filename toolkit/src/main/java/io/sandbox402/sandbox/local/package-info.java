/**
 * Sandboxes on this machine, each one long-lived bubblewrap jail: free, offline, and the default when
 * no wallet is set. As on Modal, a sandbox is one machine until terminate: its pid 1 owns its
 * namespaces and every exec joins them, so files, {@code /tmp}, installed packages and background
 * processes started with {@code nohup ... &} persist from one exec to the next, and a server on
 * {@code 127.0.0.1} is reachable from later execs of the same sandbox only. Execs run with no network
 * (unless the spec asks), no capability, an empty environment, read-only system and interpreter
 * directories, a {@code /tmp} tmpfs (512 MiB by default) and the sandbox's {@code /work}, whose files
 * are held to a disk limit (2 GiB by default; past it the sandbox is terminated with a message naming
 * {@code maxDiskBytes}). {@code prlimit} bounds each exec; where a cgroup is writable (as root) a pids
 * and memory limit applies too. A timeout kills the processes of that exec, not what it detached.
 *
 * <p><b>{@code network(true)} shares the host's network, loopback included: sandboxed code reaches
 * every service on the host's {@code 127.0.0.1}.</b> Joining a machine needs root; for other users
 * every exec is a jail of its own, and background processes die with it.
 *
 * <pre>{@code
 * try (LocalProvider provider = LocalProvider.builder()
 *         .defaultExecTimeout(Duration.ofSeconds(30))
 *         .maxOutputBytes(256 * 1024)
 *         .build()) {
 *     if (!provider.isAvailable()) {
 *         throw new IllegalStateException(provider.description()); // says how to install bubblewrap
 *     }
 *     Sandbox sandbox = provider.create(SandboxSpec.builder().memoryMb(512).build());
 *     sandbox.writeFile("input.txt", "3 4\n".getBytes(StandardCharsets.UTF_8));
 *     ExecResult result = sandbox.runCode(Language.PYTHON,
 *             "a, b = map(int, open('input.txt').read().split())\nprint(a * b)");
 *     System.out.print(result.stdout()); // 12
 *     sandbox.exec("sh", "-c", "nohup python3 long_job.py > job.log 2>&1 &"); // later execs poll job.log
 * } // closing the provider terminates every sandbox it made and deletes their directories
 * }</pre>
 */
@NullMarked
package io.sandbox402.sandbox.local;

import org.jspecify.annotations.NullMarked;
