package io.sandbox402.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
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

        // when
        ExecResult seen = sandbox.exec("sh", "-c", "pgrep -fc '^" + marker + "'");

        // then
        assertThat(started.stdout()).isEqualTo("started\n");
        assertThat(started.duration()).isLessThan(Duration.ofSeconds(5));
        assertThat(seen.stdout()).isEqualTo("1\n");
        assertThat(HostProcesses.withMarker(marker)).hasSize(1);

        sandbox.terminate();
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).isEmpty())).isTrue();
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
    void should_not_let_two_sandboxes_see_each_others_processes_or_files() {
        // given
        Sandbox other = provider.create(SandboxSpec.defaults());
        sandbox.exec("bash", "-c", "nohup bash -c 'exec -a " + marker + " sleep 300' > /dev/null 2>&1 &"
                + " echo mine > /tmp/secret; echo mine > secret");

        // when
        ExecResult result = other.exec("sh", "-c", "pgrep -fc '^" + marker + "'; ls /tmp /work; ps -e | wc -l");

        // then only the other's own pid 1, its sleep, the shell, ps and wc
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
        assertThat(HostProcesses.withMarker(detached)).hasSize(1);
        assertThat(sandbox.exec("sh", "-c", "pgrep -fc '^" + detached + "'").stdout()).isEqualTo("1\n");
    }

    @Test
    void should_keep_the_machine_when_sandboxed_code_kills_every_process_it_can() throws InterruptedException {
        // given
        sandbox.exec("bash", "-c", "nohup bash -c 'exec -a " + marker + " sleep 300' > /dev/null 2>&1 &");

        // when
        sandbox.exec("sh", "-c", "kill -9 -1");

        // then the background process is gone, but not the machine's pid 1
        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).isEmpty())).isTrue();
        assertThat(sandbox.exec("echo", "alive").stdout()).isEqualTo("alive\n");
        assertThat(((LocalSandbox) sandbox).machinePid1().isAlive()).isTrue();
    }

    @Test
    void should_kill_every_sandbox_process_when_the_provider_closes() throws InterruptedException {
        provider.create(SandboxSpec.defaults()).exec("bash", "-c",
                "nohup bash -c 'exec -a " + marker + " sleep 300' > /dev/null 2>&1 &");
        assertThat(HostProcesses.withMarker(marker)).hasSize(1);

        provider.close();

        assertThat(HostProcesses.await(DEADLINE, () -> HostProcesses.withMarker(marker).isEmpty())).isTrue();
    }
}
