package io.sandbox402.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SandboxProvider} does, run against each one: extend it and return the provider.
 * The provider is closed after each test; a subclass may check for leaks in {@link #afterClose()}.
 */
public abstract class SandboxProviderContract {
    protected SandboxProvider provider;
    protected Sandbox sandbox;

    /** A fresh provider for one test. */
    protected abstract SandboxProvider provider() throws Exception;

    /** Checks after the provider closed, for instance that no sandbox is left running. */
    protected void afterClose() throws Exception {}

    /**
     * Whether the provider's sandboxes keep background processes from one exec to the next, as Modal's
     * do. A provider that cannot (the local sandbox of a user other than root) says so and skips those tests.
     */
    protected boolean keepsBackgroundProcesses() {
        return true;
    }

    @BeforeEach
    void createSandbox() throws Exception {
        provider = provider();
        sandbox = provider.create(SandboxSpec.defaults());
    }

    @AfterEach
    void closeProvider() throws Exception {
        if (provider != null) {
            provider.close();
            afterClose();
        }
    }

    @Test
    void should_report_a_running_sandbox_with_an_id() {
        assertThat(sandbox.id()).isNotBlank();
        assertThat(sandbox.status().isRunning()).isTrue();
        assertThat(sandbox.status().sandboxId()).isEqualTo(sandbox.id());
    }

    @Test
    void should_run_python() {
        ExecResult result = sandbox.runCode(Language.PYTHON, "import sys\nprint(sum(range(10)))\nprint('warn', file=sys.stderr)");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("45\n");
        assertThat(result.stderr()).isEqualTo("warn\n");
        assertThat(result.succeeded()).isTrue();
    }

    @Test
    void should_run_javascript() {
        ExecResult result = sandbox.runCode(Language.JAVASCRIPT, "console.log([1, 2, 3].map(x => x * 2).join(','))");

        assertThat(result.stdout()).isEqualTo("2,4,6\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void should_run_bash() {
        ExecResult result = sandbox.runCode(Language.BASH, "for i in 1 2 3; do echo -n $i; done; echo");

        assertThat(result.stdout()).isEqualTo("123\n");
    }

    @Test
    void should_run_an_argv_without_a_shell() {
        ExecResult result = sandbox.exec("echo", "$HOME", "a b");

        assertThat(result.stdout()).isEqualTo("$HOME a b\n");
    }

    @Test
    void should_keep_state_across_execs() {
        sandbox.exec("sh", "-c", "echo remembered > state.txt");

        ExecResult result = sandbox.exec("cat", "state.txt");

        assertThat(result.stdout()).isEqualTo("remembered\n");
    }

    @Test
    void should_keep_tmp_across_execs() {
        sandbox.exec("sh", "-c", "echo remembered > /tmp/state.txt");

        ExecResult result = sandbox.exec("cat", "/tmp/state.txt");

        assertThat(result.stdout()).isEqualTo("remembered\n");
    }

    @Test
    void should_let_a_later_exec_read_what_a_background_job_wrote_after_its_exec_returned() throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(keepsBackgroundProcesses(), "background processes die with their exec here");
        // given a job started with nohup, as long work is on Modal, that waits for a file the next exec makes
        ExecResult started = sandbox.exec("sh", "-c", "nohup sh -c 'while [ ! -e go ]; do sleep 0.1; done;"
                + " echo finished > job.out' > /dev/null 2>&1 & echo started");
        assertThat(started.stdout()).isEqualTo("started\n");

        // when
        sandbox.exec("touch", "go");

        // then later execs poll until the job wrote its result
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String polled = "";
        while (!polled.equals("finished\n") && System.nanoTime() < deadline) {
            polled = sandbox.exec("sh", "-c", "cat job.out 2>/dev/null || true").stdout();
        }
        assertThat(polled).isEqualTo("finished\n");
    }

    @Test
    void should_round_trip_a_five_megabyte_binary_file() {
        // given
        byte[] content = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(content);

        // when
        sandbox.writeFile("data/blob.bin", content);
        byte[] read = sandbox.readFile("data/blob.bin");

        // then
        assertThat(read).isEqualTo(content);
        assertThat(sandbox.exec("sh", "-c", "wc -c < data/blob.bin").stdout().strip()).isEqualTo("5242880");
    }

    @Test
    void should_round_trip_an_empty_file_and_text() {
        sandbox.writeFile("empty", new byte[0]);
        sandbox.writeFile("dir with space/hello.txt", "héllo\n".getBytes(StandardCharsets.UTF_8));
        sandbox.writeFile("-n", "not an option".getBytes(StandardCharsets.UTF_8));

        assertThat(sandbox.readFile("empty")).isEmpty();
        assertThat(sandbox.readFile("-n")).asString(StandardCharsets.UTF_8).isEqualTo("not an option");
        assertThat(new String(sandbox.readFile("dir with space/hello.txt"), StandardCharsets.UTF_8)).isEqualTo("héllo\n");
    }

    @Test
    void should_say_when_a_file_to_read_does_not_exist() {
        assertThatThrownBy(() -> sandbox.readFile("missing.txt"))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith("Cannot read missing.txt in sandbox " + sandbox.id() + ": ");
    }

    @Test
    void should_return_non_zero_exit_codes_as_results() {
        ExecResult result = sandbox.runCode(Language.PYTHON, "raise SystemExit(3)");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void should_report_an_exception_on_stderr() {
        ExecResult result = sandbox.runCode(Language.PYTHON, "1 / 0");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("ZeroDivisionError");
    }

    @Test
    void should_stop_a_command_that_runs_too_long() {
        ExecResult result = sandbox.exec(new ExecRequest(List.of("sleep", "30"), Duration.ofSeconds(2)));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(ExecResult.TIMEOUT_EXIT_CODE);
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void should_terminate_twice_without_error_and_report_terminated() {
        sandbox.terminate();
        sandbox.terminate();

        assertThat(sandbox.status().isRunning()).isFalse();
        assertThat(sandbox.status().state()).isEqualTo(SandboxStatus.TERMINATED);
    }

    @Test
    void should_refuse_exec_after_terminate_with_a_clear_error() {
        sandbox.terminate();

        assertThatThrownBy(() -> sandbox.exec("echo", "hi"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining(sandbox.id())
                .hasMessageContaining("terminated");
    }

    @Test
    void should_run_a_100_kilobyte_program() {
        // given: 100 KB of code, far more than one exec argument on BlockRun
        StringBuilder code = new StringBuilder("total = 0\n");
        for (int i = 0; code.length() < 100_000; i++) {
            code.append("total += ").append(i).append("  # line ").append(i).append(" of a long generated program\n");
        }
        int lines = (int) code.chars().filter(c -> c == '\n').count() - 1;
        code.append("print(total)\n");

        // when
        ExecResult result = sandbox.runCode(Language.PYTHON, code.toString());

        // then
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo((long) lines * (lines - 1) / 2 + "\n");
    }

    @Test
    void should_run_a_command_three_times_longer_than_one_exec_may_last() {
        // given: three exec limits long where the limit is short (as the emulator's test profile makes it); 9 s elsewhere
        Duration limit = sandbox.limits().maxExecTimeout();
        Duration slice = limit.compareTo(Duration.ofSeconds(10)) <= 0 ? limit : Duration.ofSeconds(3);
        long seconds = slice.multipliedBy(3).toSeconds();
        ExecRequest request = ExecRequest.shell("echo started; sleep " + seconds + "; echo done; echo oops >&2; exit 3")
                .withTimeout(slice.multipliedBy(6));
        org.junit.jupiter.api.Assumptions.assumeTrue(keepsBackgroundProcesses()
                || request.timeout().compareTo(limit) <= 0, "background processes die with their exec here");

        // when
        ExecResult result = sandbox.run(request);

        // then
        assertThat(result.stdout()).isEqualTo("started\ndone\n");
        assertThat(result.stderr()).isEqualTo("oops\n");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.timedOut()).isFalse();
        assertThat(result.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void should_stop_a_background_command_at_its_deadline_and_on_cancel() {
        org.junit.jupiter.api.Assumptions.assumeTrue(keepsBackgroundProcesses(), "background processes die with their exec here");
        BackgroundCommand sleeper = sandbox.start(ExecRequest.of("sleep", "300"));
        ExecResult stopped = sleeper.await(Duration.ofSeconds(2));

        assertThat(stopped.timedOut()).isTrue();
        assertThat(sleeper.killed()).isTrue();
        assertThat(sleeper.polls()).isPositive();

        BackgroundCommand other = sandbox.start(ExecRequest.of("sleep", "300"));
        ExecResult cancelled = other.cancel();
        assertThat(cancelled.exitCode()).isEqualTo(137);
        assertThat(cancelled.timedOut()).isFalse();
        assertThat(sandbox.exec("sh", "-c", "ps -eo args | grep -c '^sleep 300' || true").stdout().strip()).isEqualTo("0");
    }

    @Test
    void should_refuse_to_read_a_sparse_gigabyte_file_and_read_files_whose_size_lies() {
        sandbox.exec("truncate", "-s", "1G", "sparse.bin");

        assertThatThrownBy(() -> sandbox.readFile("sparse.bin"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("it is 1073741824 bytes, above the read cap of 67108864 bytes");
        assertThat(new String(sandbox.readFile("/proc/self/status"), StandardCharsets.UTF_8)).contains("Name:");
        assertThatThrownBy(() -> sandbox.readFile("/proc/self/status", 10))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("above the read cap of 10 bytes");
    }

    @Test
    void should_terminate_the_sandbox_and_show_the_output_when_a_setup_command_fails() {
        assertThatThrownBy(() -> provider.create(SandboxSpec.builder()
                        .setupCommand("echo first")
                        .setupCommand("echo visible-output; echo visible-error >&2; exit 7")
                        .build()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("exit code 7")
                .hasMessageContaining("visible-error");
    }

    @Test
    void should_run_setup_commands_at_create() {
        Sandbox prepared = provider.create(SandboxSpec.builder().setupCommand("echo ready > setup.txt").build());

        assertThat(prepared.exec("cat", "setup.txt").stdout()).isEqualTo("ready\n");
        prepared.terminate();
    }

    @Test
    void should_terminate_every_sandbox_when_the_provider_closes() {
        Sandbox other = provider.create(SandboxSpec.defaults());

        provider.close();

        assertThat(sandbox.status().isRunning()).isFalse();
        assertThat(other.status().isRunning()).isFalse();
    }
}
