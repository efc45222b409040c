/**
 * Sandboxes on this machine, each a bubblewrap jail: free, offline, and the default when no wallet is
 * set. Every exec runs in fresh namespaces with no network (unless the spec asks), an empty
 * environment, read-only system and interpreter directories, a private {@code /tmp}, and the
 * sandbox's {@code /work}, which persists until terminate. {@code prlimit} bounds each exec; where a
 * cgroup is writable (as root) a pids and memory limit applies too.
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
 * } // closing the provider terminates every sandbox it made and deletes their directories
 * }</pre>
 */
package io.sandbox402.sandbox.local;
