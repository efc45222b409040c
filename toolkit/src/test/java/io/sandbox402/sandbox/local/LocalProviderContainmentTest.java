package io.sandbox402.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Gpu;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.testing.Prerequisites;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What sandboxed code cannot do to, or see of, the machine it runs on. */
class LocalProviderContainmentTest {
    /** The variables a sandbox's shell may have: the jail's own, and what the shell sets. */
    private static final List<String> SANDBOX_VARIABLES =
            List.of("HOME", "LANG", "PATH", "PWD", "TMPDIR", "USER", "SHLVL", "_");

    LocalProvider provider;
    Sandbox sandbox;

    @BeforeEach
    void create() {
        provider = LocalProvider.builder()
                .shutdownHook(false)
                .maxOutputBytes(64 * 1024)
                .defaultExecTimeout(Duration.ofSeconds(20))
                .build();
        Prerequisites.require(provider.isAvailable(), provider.description());
        sandbox = provider.create(SandboxSpec.defaults());
    }

    @AfterEach
    void close() {
        provider.close();
        assertThat(provider.runningSandboxes()).isZero();
    }

    @Test
    void should_have_no_network() throws IOException {
        try (ServerSocket server = new ServerSocket(0)) {
            // given a server on the host's loopback that the sandbox would reach if it shared the network
            String code = "import socket\n"
                    + "try:\n"
                    + "    socket.create_connection(('127.0.0.1', " + server.getLocalPort() + "), timeout=2)\n"
                    + "    print('connected')\n"
                    + "except OSError as e:\n"
                    + "    print('refused', type(e).__name__)\n"
                    + "try:\n"
                    + "    socket.getaddrinfo('example.com', 80)\n"
                    + "    print('resolved')\n"
                    + "except OSError as e:\n"
                    + "    print('unresolved')\n"
                    + "print(sorted(n for _, n in socket.if_nameindex()))\n";

            // when
            ExecResult result = sandbox.runCode(Language.PYTHON, code);

            // then
            assertThat(result.stdout()).startsWith("refused").contains("unresolved").contains("['lo']");
        }
    }

    @Test
    void should_not_see_host_files() throws IOException {
        // given a file in the host user's home and the repository this test runs in
        Path canary = Path.of(System.getProperty("user.home"), "sandbox402-canary-" + UUID.randomUUID());
        Files.writeString(canary, "host secret");
        String repository = Path.of("").toAbsolutePath().toString();
        try {
            // when
            ExecResult result = sandbox.exec("sh", "-c",
                    "for p in \"$1\" \"$2\" /etc/shadow /etc/hostname /home /srv; do [ -e \"$p\" ] && echo \"visible $p\"; done;"
                            + " cat \"$1\" 2>&1; ls /",
                    "sh", canary.toString(), repository);

            // then
            assertThat(result.stdout()).doesNotContain("visible").doesNotContain("host secret");
            assertThat(result.stdout().lines().toList()).doesNotContain("home", "srv", "opt", "mnt");
        } finally {
            Files.delete(canary);
        }
    }

    @Test
    void should_not_write_outside_its_work_directory() {
        ExecResult result = sandbox.exec("sh", "-c", "touch /usr/evil 2>&1; echo $?; touch /work/fine && echo ok");

        assertThat(result.stdout()).contains("Read-only file system").endsWith("ok\n");
        assertThat(Path.of("/usr/evil")).doesNotExist();
    }

    @Test
    void should_not_pass_the_host_environment() {
        // given the JVM's environment, which in real use holds API and wallet keys
        assertThat(System.getenv()).containsKey("PATH");

        // when
        ExecResult result = sandbox.exec("env");

        // then only the sandbox's own variables are there
        List<String> names = result.stdout().lines().map(line -> line.substring(0, line.indexOf('='))).sorted().toList();
        assertThat(names).isSubsetOf(SANDBOX_VARIABLES);
        assertThat(result.stdout()).contains("HOME=/work");
        for (String name : System.getenv().keySet()) {
            if (!SANDBOX_VARIABLES.contains(name)) {
                assertThat(result.stdout()).doesNotContain(name + "=");
            }
        }
    }

    @Test
    void should_not_leak_the_host_environment_through_proc() {
        // given the JVM's PATH, which differs from the sandbox's and is always set
        String hostPath = "PATH=" + System.getenv("PATH");

        // when sandboxed code reads the environment of every process it can see, bubblewrap's own included
        ExecResult result = sandbox.exec("sh", "-c",
                "for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < \"$f\"; done 2>/dev/null");

        // then none of the host's variables is there
        assertThat(result.stdout()).contains("HOME=/work").doesNotContain(hostPath);
        for (String name : System.getenv().keySet()) {
            if (!SANDBOX_VARIABLES.contains(name)) {
                assertThat(result.stdout()).doesNotContain(name + "=");
            }
        }
    }

    @Test
    void should_contain_a_fork_bomb() {
        // when
        ExecResult result = sandbox.exec(new ExecRequest(List.of("bash", "-c", "bomb() { bomb | bomb & }; bomb; sleep 5"),
                Duration.ofSeconds(10)));

        // then the pids limit stopped it, and the sandbox still works
        assertThat(result.stderr()).contains("fork");
        assertThat(result.timedOut()).isFalse();
        assertThat(sandbox.exec("echo", "alive").stdout()).isEqualTo("alive\n");
    }

    @Test
    void should_contain_a_memory_hog() {
        // given a small sandbox, which fills sooner on a busy machine (1 GiB took 20 s with the load at 40)
        Sandbox small = provider.create(SandboxSpec.builder().memoryMb(256).build());

        // when
        ExecResult result = small.runCode(Language.PYTHON,
                "blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 1024 * 1024))\n");

        // then
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.timedOut()).isFalse();
        assertThat(small.exec("echo", "alive").stdout()).isEqualTo("alive\n");
    }

    @Test
    void should_truncate_endless_output() {
        ExecResult result = sandbox.exec("yes");

        assertThat(result.truncated()).isTrue();
        assertThat(result.timedOut()).isFalse();
        assertThat(result.stdout()).startsWith("y\ny\n")
                .endsWith("\n[sandbox402: output truncated after 65536 bytes; the command was stopped]");
        assertThat(result.stdout().length()).isLessThan(70 * 1024);
    }

    @Test
    void should_leave_no_process_behind_after_a_timeout() throws Exception {
        // given a command that starts background processes in a new session and outlives its timeout
        String marker = "sandbox402-marker-" + UUID.randomUUID();
        ExecResult result = sandbox.exec(new ExecRequest(LocalProviderTest.backgroundSleepers(marker), Duration.ofSeconds(2)));

        // when the timeout killed it
        assertThat(result.timedOut()).isTrue();
        assertThat(result.stdout()).isEqualTo("sleepers: 2\n");

        // then no process with the marker is left on the host
        assertThat(LocalProviderTest.processesWith(marker)).isEmpty();
    }

    @Test
    void should_delete_the_work_directory_on_terminate() {
        LocalSandbox local = (LocalSandbox) sandbox;
        sandbox.exec("sh", "-c", "mkdir -p a/b && echo x > a/b/c && chmod 500 a/b");

        sandbox.terminate();

        assertThat(Files.exists(local.workDir())).isFalse();
    }

    @Test
    void should_keep_sandboxes_apart() {
        Sandbox other = provider.create(SandboxSpec.defaults());
        sandbox.exec("sh", "-c", "echo mine > secret.txt");

        ExecResult result = other.exec("sh", "-c", "cat secret.txt; ls /work");

        assertThat(result.stdout()).doesNotContain("mine");
    }

    @Test
    void should_refuse_a_gpu_with_advice() {
        assertThatThrownBy(() -> provider.create(SandboxSpec.builder().gpu(Gpu.H100).build()))
                .isInstanceOf(SandboxException.class)
                .hasMessage("The local sandbox has no GPU (the spec asks for H100). Use --sandbox blockrun for GPU jobs.");
    }

    @Test
    void should_terminate_and_explain_when_a_setup_command_fails() {
        assertThatThrownBy(() -> provider.create(SandboxSpec.builder().setupCommand("echo broken >&2; exit 4").build()))
                .isInstanceOf(SandboxException.class)
                .hasMessageMatching("(?s)Setup command failed in sandbox local-[0-9a-f]+ \\(exit code 4\\), so the sandbox"
                        + " was terminated: echo broken >&2; exit 4\nbroken");
        assertThat(provider.runningSandboxes()).isEqualTo(1);
    }

    @Test
    void should_explain_how_to_install_bubblewrap_when_it_is_missing() {
        try (LocalProvider missing = LocalProvider.builder().bwrap("/nonexistent/bwrap").shutdownHook(false).build()) {
            assertThat(missing.isAvailable()).isFalse();
            assertThat(missing.description()).isEqualTo("local: bubblewrap (/nonexistent/bwrap) not found on PATH; the local"
                    + " sandbox needs it. Install it (apt-get install bubblewrap) or use --sandbox blockrun.");
            assertThatThrownBy(() -> missing.create(SandboxSpec.defaults()))
                    .isInstanceOf(SandboxException.class)
                    .hasMessageStartingWith("bubblewrap (/nonexistent/bwrap) not found on PATH");
        }
    }

    @Test
    void should_allow_the_network_only_when_the_spec_asks() throws IOException {
        Sandbox networked = provider.create(SandboxSpec.builder().network(true).build());

        ExecResult result = networked.runCode(Language.PYTHON,
                "import socket\nprint(sorted(n for _, n in socket.if_nameindex()))");

        assertThat(result.stdout()).isNotEqualTo("['lo']\n");
    }
}
