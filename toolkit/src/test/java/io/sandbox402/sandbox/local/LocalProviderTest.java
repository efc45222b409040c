package io.sandbox402.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LocalProvider's own options, beyond what every provider does. */
class LocalProviderTest {

    @Test
    void should_read_a_file_in_smaller_chunks_when_the_output_cap_is_below_a_chunk() {
        // given a provider whose output cap is far below readFile's first chunk (512 KiB, 683 KiB of base64)
        try (LocalProvider provider = LocalProvider.builder().shutdownHook(false).maxOutputBytes(64 * 1024).build()) {
            Prerequisites.require(provider.isAvailable(), provider.description());
            Sandbox sandbox = provider.create(SandboxSpec.defaults());
            byte[] content = new byte[300 * 1024];
            new Random(7).nextBytes(content);
            sandbox.writeFile("blob.bin", content);

            // when
            byte[] read = sandbox.readFile("blob.bin");

            // then
            assertThat(read).isEqualTo(content);
        }
    }

    @Test
    void should_name_the_timeout_in_milliseconds_when_it_is_not_whole_seconds() {
        try (LocalProvider provider = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(provider.isAvailable(), provider.description());
            Sandbox sandbox = provider.create(SandboxSpec.defaults());

            ExecResult result = sandbox.exec(new ExecRequest(List.of("sleep", "30"), Duration.ofMillis(300)));

            assertThat(result.timedOut()).isTrue();
            assertThat(result.stderr()).isEqualTo("[sandbox402: timed out after 300 ms; every process of the command was killed]");
        }
    }

    @Test
    void should_leave_no_process_behind_after_a_timeout_when_no_cgroup_is_used() throws Exception {
        // given a machine without a writable cgroup (most laptops), where only bubblewrap's pid namespace holds the tree
        try (LocalProvider provider = LocalProvider.builder().shutdownHook(false).cgroups(false).build()) {
            Prerequisites.require(provider.isAvailable(), provider.description());
            Sandbox sandbox = provider.create(SandboxSpec.defaults());
            String marker = "sandbox402-marker-" + UUID.randomUUID();

            // when a command that starts background processes in a new session outlives its timeout
            ExecResult result = sandbox.exec(new ExecRequest(backgroundSleepers(marker), Duration.ofSeconds(1)));

            // then
            assertThat(result.timedOut()).isTrue();
            assertThat(result.stdout()).isEqualTo("sleepers: 2\n");
            assertThat(processesWith(marker)).isEmpty();
        }
    }

    @Test
    void should_stop_a_running_command_when_the_sandbox_is_terminated() throws Exception {
        try (LocalProvider provider = LocalProvider.builder().shutdownHook(false).cgroups(false).build()) {
            Prerequisites.require(provider.isAvailable(), provider.description());
            LocalSandbox sandbox = (LocalSandbox) provider.create(SandboxSpec.defaults());
            String marker = "sandbox402-marker-" + UUID.randomUUID();
            // given a command that runs for minutes
            CompletableFuture<ExecResult> exec = CompletableFuture.supplyAsync(() -> sandbox.exec(new ExecRequest(
                    List.of("bash", "-c", "touch started; exec -a " + marker + " sleep 300"), Duration.ofMinutes(5))));
            awaitFile(sandbox.workDir().resolve("started"));

            // when
            sandbox.terminate();

            // then it stops at once, and says why
            ExecResult result = exec.get(20, TimeUnit.SECONDS);
            assertThat(result.timedOut()).isFalse();
            assertThat(result.stderr()).endsWith("[sandbox402: sandbox " + sandbox.id() + " was terminated while the command ran]");
            assertThat(processesWith(marker)).isEmpty();
        }
    }

    @Test
    void should_keep_tmp_but_not_background_processes_when_each_exec_is_a_jail_of_its_own() throws Exception {
        // given what a user other than root gets: no machine to join, a jail per exec
        try (LocalProvider provider = LocalProvider.builder().shutdownHook(false).machines(false).build()) {
            Prerequisites.require(provider.isAvailable(), provider.description());
            Sandbox sandbox = provider.create(SandboxSpec.defaults());
            String marker = "sandbox402-marker-" + UUID.randomUUID();

            // when
            ExecResult first = sandbox.exec("bash", "-c", "echo kept > /tmp/note; nohup bash -c 'exec -a " + marker
                    + " sleep 300' > /dev/null 2>&1 & echo started");
            ExecResult second = sandbox.exec("cat", "/tmp/note");

            // then
            assertThat(first.stdout()).isEqualTo("started\n");
            assertThat(second.stdout()).isEqualTo("kept\n");
            assertThat(processesWith(marker)).isEmpty();
        }
    }

    @Test
    void should_run_any_program_text_as_a_file_in_tmp_on_a_machine_and_in_a_jail_per_exec() {
        // given programs the shell must pass through untouched, and one too long for an argument
        String tricky = "s = '$HOME `id` \\\\n %s %b \\' \\\" café ✓'\nimport sys\nprint(s)\nprint(sys.argv[0])\n";
        String expected = "$HOME `id` \\n %s %b ' \" café ✓\n";
        String longProgram = "x = '" + "y".repeat(100 * 1024) + "'\nprint(len(x))\n";
        for (boolean machines : new boolean[] {true, false}) {
            try (LocalProvider provider = LocalProvider.builder().shutdownHook(false).machines(machines).build()) {
                Prerequisites.require(provider.isAvailable(), provider.description());
                Sandbox sandbox = provider.create(SandboxSpec.defaults());

                // when
                ExecResult tricked = sandbox.runCode(Language.PYTHON, tricky);
                ExecResult shell = sandbox.runCode(Language.BASH, "echo \"$0\"; exit 3");
                ExecResult longOne = sandbox.runCode(Language.PYTHON, longProgram);

                // then
                assertThat(tricked.stderr()).isEmpty();
                assertThat(tricked.stdout()).startsWith(expected).containsPattern("\n/tmp/sandbox402-[0-9a-f]+\\.py\n$");
                assertThat(shell.exitCode()).isEqualTo(3);
                assertThat(shell.stdout()).matches("/tmp/sandbox402-[0-9a-f]+\\.sh\n");
                assertThat(longOne.stdout()).isEqualTo(100 * 1024 + "\n");
            }
        }
    }

    /**
     * A command that starts two sleepers named {@code marker} in the background, one in a new session,
     * says how many it sees, and sleeps on.
     */
    static List<String> backgroundSleepers(String marker) {
        return List.of("bash", "-c", "setsid bash -c 'exec -a " + marker + " sleep 300' & (exec -a " + marker
                + " sleep 300) & sleep 0.5; echo \"sleepers: $(pgrep -fc '^" + marker + "')\"; sleep 300");
    }

    /** The host processes with {@code marker} left once the kernel reaped the killed ones (within 5 s). */
    static List<Long> processesWith(String marker) throws InterruptedException {
        HostProcesses.await(Duration.ofSeconds(5), () -> HostProcesses.withMarker(marker).isEmpty());
        return HostProcesses.withMarker(marker);
    }

    private static void awaitFile(Path file) throws InterruptedException {
        HostProcesses.await(Duration.ofSeconds(10), () -> Files.exists(file));
        assertThat(file).exists();
    }
}
