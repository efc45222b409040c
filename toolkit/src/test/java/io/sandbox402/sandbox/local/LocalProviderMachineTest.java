package io.sandbox402.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.testing.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A local sandbox is one long-lived machine, as on Modal: what one exec leaves running, the next one finds. */
class LocalProviderMachineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    LocalProvider provider;
    Sandbox sandbox;
    String marker = "sandbox402-marker-" + UUID.randomUUID();

    @BeforeEach
    void create() {
        provider = LocalProvider.builder().shutdownHook(false).defaultExecTimeout(Duration.ofSeconds(20)).build();
        Prerequisites.require(provider.isAvailable(), provider.description());
        Prerequisites.require(provider.machines(), "root, for execs to join a sandbox's long-lived machine"
                + " (other users get a jail per exec, see LocalProvider)");
        sandbox = provider.create(SandboxSpec.defaults());
    }

    @AfterEach
    void close() throws InterruptedException {
        provider.close();
        assertThat(provider.runningSandboxes()).isZero();
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).isEmpty())).isTrue();
    }

    @Test
    void should_keep_a_background_process_across_execs_until_terminate_when_it_was_started_with_nohup()
            throws InterruptedException {
        // given
        ExecResult started = sandbox.exec("bash", "-c",
                "nohup bash -c 'exec -a " + marker + " sleep 300' > /dev/null 2>&1 & echo started");

        // when a later exec looks for it (the detached shell renames itself a moment after the exec returned)
        ExecResult seen = sandbox.exec("sh", "-c", "for i in $(seq 100); do pgrep -f '^" + marker + "' && exit; sleep 0.1;"
                + " done; exit 1");

        // then
        assertThat(started.stdout()).isEqualTo("started\n");
        assertThat(started.duration()).isLessThan(Duration.ofSeconds(5));
        assertThat(seen.exitCode()).isZero(); // pgrep found it
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).size() == 1)).isTrue();

        sandbox.terminate();
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).isEmpty())).isTrue();
    }

    @Test
    void should_return_when_the_command_exits_even_if_a_background_process_keeps_its_output_open()
            throws InterruptedException {
        // when a command leaves a process that still holds its stdout and stderr
        ExecResult result = sandbox.exec("bash", "-c", "echo hi; (exec -a " + marker + " sleep 300) &");

        // then the exec returns with what the command printed, and the process lives on
        assertThat(result.stdout()).isEqualTo("hi\n");
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(5));
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).size() == 1)).isTrue();
    }

    @Test
    void should_keep_tmp_across_execs() {
        sandbox.exec("sh", "-c", "echo kept > /tmp/note");

        ExecResult result = sandbox.exec("cat", "/tmp/note");

        assertThat(result.stdout()).isEqualTo("kept\n");
        assertThat(((LocalSandbox) sandbox).workDir().resolve("tmp")).doesNotExist();
    }

    @Test
    void should_read_a_file_that_a_background_job_wrote_after_the_exec_that_started_it_returned()
            throws InterruptedException {
        // given a job that waits for a file the next exec makes, then writes its result
        sandbox.exec("sh", "-c", "nohup sh -c 'while [ ! -e go ]; do sleep 0.05; done; echo finished > result.txt'"
                + " > /dev/null 2>&1 &");
        assertThat(sandbox.exec("test", "-e", "result.txt").exitCode()).isEqualTo(1);

        // when
        sandbox.exec("touch", "go");

        // then a later exec reads what the job wrote
        assertThat(HostProcesses.await(DEADLINE, () -> sandbox.exec("cat", "result.txt").stdout().equals("finished\n")))
                .isTrue();
    }

    @Test
    void should_leave_no_process_of_the_sandbox_on_the_host_when_terminated() throws InterruptedException {
        // given background processes, one in a session of its own
        LocalSandbox local = (LocalSandbox) sandbox;
        sandbox.exec("sh", "-c", "nohup sleep 300 > /dev/null 2>&1 & setsid sleep 301 > /dev/null 2>&1 &");
        String namespace = HostProcesses.pidNamespace(Path.of("/proc", Long.toString(local.machinePid1().pid())));
        assertThat(HostProcesses.inPidNamespace(namespace)).hasSizeGreaterThanOrEqualTo(4); // pid 1, its sleep, 2 more

        // when
        sandbox.terminate();

        // then
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.inPidNamespace(namespace).isEmpty())).isTrue();
        assertThat(local.workDir()).doesNotExist();
    }

    @Test
    void should_not_let_two_sandboxes_see_each_others_processes_or_files() throws InterruptedException {
        // given
        Sandbox other = provider.create(SandboxSpec.defaults());
        sandbox.exec("bash", "-c", "nohup bash -c 'exec -a " + marker + " sleep 300' > /dev/null 2>&1 &"
                + " echo mine > /tmp/secret; echo mine > secret");
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).size() == 1)).isTrue();

        // when
        ExecResult result = other.exec("sh", "-c", "pgrep -fc '^" + marker + "'; ls /tmp /work; ps -e | wc -l");

        // then only the other's own pid 1, its sleep, the exec's shells, ps and wc
        assertThat(result.stdout()).startsWith("0\n").doesNotContain("secret");
        assertThat(Integer.parseInt(result.stdout().lines().reduce((a, b) -> b).orElseThrow().strip())).isLessThan(8);
    }

    @Test
    void should_reach_a_loopback_server_of_the_same_sandbox_only() throws Exception {
        // given a server a background process starts on the sandbox's loopback
        String server = "import socket\n"
                + "s = socket.socket()\n"
                + "s.bind(('127.0.0.1', 0))\n"
                + "s.listen()\n"
                + "open('port.tmp', 'w').write(str(s.getsockname()[1]))\n"
                + "__import__('os').rename('port.tmp', 'port')\n"
                + "while True:\n"
                + "    c, _ = s.accept()\n"
                + "    c.sendall(b'hello from " + marker + "')\n"
                + "    c.close()\n";
        sandbox.writeFile("server.py", server.getBytes(StandardCharsets.UTF_8));
        sandbox.exec("sh", "-c", "nohup python3 server.py > /dev/null 2>&1 &");
        Path portFile = ((LocalSandbox) sandbox).workDir().resolve("port");
        assertThat(HostProcesses.await(DEADLINE, () -> Files.exists(portFile))).isTrue();
        int port = Integer.parseInt(Files.readString(portFile));
        String client = "import socket\n"
                + "try:\n"
                + "    print(socket.create_connection(('127.0.0.1', " + port + "), timeout=2).recv(100).decode())\n"
                + "except OSError as e:\n"
                + "    print('refused')\n";

        // when
        ExecResult same = sandbox.exec("python3", "-c", client);
        ExecResult other = provider.create(SandboxSpec.defaults()).exec("python3", "-c", client);

        // then
        assertThat(same.stdout()).isEqualTo("hello from " + marker + "\n");
        assertThat(other.stdout()).isEqualTo("refused\n");
        assertThat(readFromHost(port)).doesNotContain(marker);
    }

    private static String readFromHost(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(2000);
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readNBytes(200), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "refused: " + e.getMessage();
        }
    }

    @Test
    void should_kill_the_processes_of_a_timed_out_exec_but_not_those_an_earlier_exec_detached()
            throws InterruptedException {
        // given a process an earlier exec detached
        String detached = marker + "-detached";
        sandbox.exec("bash", "-c", "nohup bash -c 'exec -a " + detached + " sleep 300' > /dev/null 2>&1 &");

        // when an exec with a child of its own times out
        ExecResult result = sandbox.exec(new ExecRequest(List.of("bash", "-c",
                "(exec -a " + marker + "-child sleep 300) & sleep 300"), Duration.ofSeconds(2)));

        // then
        assertThat(result.timedOut()).isTrue();
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker + "-child").isEmpty())).isTrue();
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(detached).size() == 1)).isTrue();
        assertThat(sandbox.exec("sh", "-c", "pgrep -fc '^" + detached + "'").stdout()).isEqualTo("1\n");
    }

    @Test
    void should_kill_a_fork_bomb_that_detached_once_it_reaches_the_pids_limit() throws InterruptedException {
        // given a fork bomb whose exec returns at once, leaving it to run on in the machine
        ExecResult started = sandbox.exec("bash", "-c", "bomb() { bomb | bomb & }; bomb; echo started");
        assertThat(started.stdout()).isEqualTo("started\n");

        // then it is killed when it reaches the limit (checked before each exec and every second), and the sandbox works
        assertThat(HostProcesses.await(Duration.ofSeconds(30), () -> {
            ExecResult count = sandbox.exec("sh", "-c", "ps -e | wc -l");
            return count.exitCode() == 0 && Integer.parseInt(count.stdout().strip()) < 10;
        })).isTrue();
        assertThat(sandbox.exec("echo", "alive").stdout()).isEqualTo("alive\n");
    }

    @Test
    void should_keep_the_machine_when_sandboxed_code_kills_every_process_it_can() throws InterruptedException {
        // given
        sandbox.exec("bash", "-c", "nohup bash -c 'exec -a " + marker + " sleep 300' > /dev/null 2>&1 &");
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).size() == 1)).isTrue();

        // when
        sandbox.exec("sh", "-c", "kill -9 -1");

        // then the background process is gone, but not the machine's pid 1
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).isEmpty())).isTrue();
        assertThat(sandbox.exec("echo", "alive").stdout()).isEqualTo("alive\n");
        assertThat(((LocalSandbox) sandbox).machinePid1().isAlive()).isTrue();
    }

    @Test
    void should_refuse_to_run_a_command_in_another_sandboxs_machine_when_the_pid_points_there() throws Exception {
        // given the pid of another sandbox's machine, as if this one's pid 1 had died and its pid gone there
        LocalSandbox other = (LocalSandbox) provider.create(SandboxSpec.defaults());
        List<String> command = provider.bubblewrap().execCommand(other.machinePid1().pid(), sandbox.id(),
                provider.limits(false), List.of("touch", "ran"));

        // when
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        // then
        assertThat(process.waitFor()).isEqualTo(125);
        assertThat(stderr).isEqualTo("sandbox402: this is not the machine of sandbox " + sandbox.id() + "\n");
        assertThat(other.workDir().resolve("ran")).doesNotExist();
    }

    @Test
    void should_say_so_when_the_machine_stopped() throws InterruptedException {
        // given
        ProcessHandle pid1 = ((LocalSandbox) sandbox).machinePid1();

        // when
        pid1.destroyForcibly();
        assertThat(HostProcesses.await(DEADLINE, () -> !pid1.isAlive())).isTrue();

        // then
        assertThatThrownBy(() -> sandbox.exec("echo", "hi")).isInstanceOf(SandboxException.class)
                .hasMessage("The machine of sandbox " + sandbox.id() + " stopped: its pid 1 exited (killed from the"
                        + " host, or by a debugger attached from inside). Create a new sandbox.");
        assertThat(sandbox.status().isRunning()).isFalse();
    }

    @Test
    void should_remove_the_sandboxs_cgroups_when_it_is_terminated_while_a_command_runs() throws Exception {
        // given a command that runs on, with its exec's own pids group
        Path pids = Path.of("/sys/fs/cgroup/pids/sandbox402-" + sandbox.id());
        Prerequisites.require(Files.isDirectory(pids), "a writable cgroup v1 pids hierarchy (root)");
        java.util.concurrent.CompletableFuture<ExecResult> running = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> sandbox.exec("sh", "-c", "touch started; sleep 300"));
        Path started = ((LocalSandbox) sandbox).workDir().resolve("started");
        assertThat(HostProcesses.await(DEADLINE, () -> Files.exists(started))).isTrue();

        // when
        sandbox.terminate();

        // then
        assertThat(running.get(20, java.util.concurrent.TimeUnit.SECONDS).stderr()).contains("was terminated");
        assertThat(pids).doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/memory/sandbox402-" + sandbox.id())).doesNotExist();
    }

    @Test
    void should_kill_every_sandbox_process_when_the_provider_closes() throws InterruptedException {
        provider.create(SandboxSpec.defaults()).exec("bash", "-c",
                "nohup bash -c 'exec -a " + marker + " sleep 300' > /dev/null 2>&1 &");
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).size() == 1)).isTrue();

        provider.close();

        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).isEmpty())).isTrue();
    }
}
