package io.sandbox402.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sandboxed code that tries to lift its own limits, or to leave something dangerous on the host. */
class LocalProviderHostileCodeTest {
    private static final long DISK = 8L << 20;
    private static final long TMP = 4L << 20;

    LocalProvider provider;
    Sandbox sandbox;

    @BeforeEach
    void create() {
        provider = LocalProvider.builder()
                .shutdownHook(false)
                .maxDiskBytes(DISK)
                .maxTmpBytes(TMP)
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
    void should_keep_its_limits_when_sandboxed_code_plants_programs_in_its_own_bin() {
        // given programs named like those the host starts, in the directory pip puts scripts in
        String fake = "#!/bin/sh\\necho PLANTED-$0\\n";
        sandbox.exec("sh", "-c", "mkdir -p .local/bin && cd .local/bin && for p in prlimit sh env setsid setpriv"
                + " nsenter python3 base64 tail wc; do printf '" + fake + "' > $p; chmod +x $p; done");

        // when
        ExecResult limits = sandbox.exec("sh", "-c", "ulimit -v; ulimit -t");
        ExecResult python = sandbox.runCode(Language.PYTHON, "print(6 * 7)");

        // then the address space and CPU bounds hold, and no planted program ran
        assertThat(limits.stdout()).isEqualTo((4L << 30) / 1024 + "\n300\n");
        assertThat(python.stdout()).isEqualTo("42\n");
        assertThat(limits.stdout() + limits.stderr() + python.stdout() + python.stderr()).doesNotContain("PLANTED");
    }

    @Test
    void should_fail_with_no_space_left_when_tmp_is_full_and_keep_working() {
        ExecResult result = sandbox.exec("sh", "-c", "head -c 6000000 /dev/zero > /tmp/big; echo $?; rm /tmp/big");

        assertThat(result.stderr()).contains("No space left on device");
        assertThat(result.stdout()).isEqualTo("1\n");
        assertThat(sandbox.exec("sh", "-c", "echo ok > /tmp/small && cat /tmp/small").stdout()).isEqualTo("ok\n");
    }

    @Test
    void should_stop_the_sandbox_with_a_clear_error_when_its_files_pass_the_disk_limit() {
        // given
        String id = sandbox.id();

        // when files smaller than the limit one by one take more than it together
        ExecResult result = sandbox.exec("sh", "-c", "for i in 1 2 3; do head -c 3000000 /dev/zero > f$i; done; echo written");

        // then (the check every second may stop it while the last file is being written)
        String reason = "Sandbox " + id + " was stopped: its files take [0-9]+ bytes, above its disk limit of 8388608"
                + " bytes \\(maxDiskBytes\\)\\. Delete what is not needed sooner, or raise the limit with"
                + " LocalProvider\\.builder\\(\\)\\.maxDiskBytes\\(\\.\\.\\)\\.";
        assertThat(result.stderr()).containsPattern("\\[sandbox402: (sandbox " + id + " was terminated while the command"
                + " ran: )?" + reason + "]$");
        assertThat(sandbox.status().isRunning()).isFalse();
        assertThatThrownBy(() -> sandbox.exec("ls")).isInstanceOf(SandboxException.class).hasMessageMatching(reason);
    }

    @Test
    void should_not_let_one_file_pass_the_disk_limit() {
        ExecResult result = sandbox.exec("sh", "-c", "head -c 9000000 /dev/zero > big; echo $?; wc -c < big");

        assertThat(result.stdout()).isEqualTo("153\n" + DISK + "\n"); // 128 + SIGXFSZ
        assertThat(sandbox.status().isRunning()).isTrue();
    }

    @Test
    void should_leave_no_setuid_or_setgid_file_on_the_host_when_sandboxed_code_makes_one() throws Exception {
        // given
        Path work = ((LocalSandbox) sandbox).workDir();

        // when
        ExecResult result = sandbox.exec("sh", "-c", "cp /bin/sh suid && chmod 4755 suid && cp /bin/sh sgid"
                + " && chmod 2755 sgid && mkdir dir && chmod 2775 dir && python3 -c \"import os; open('py', 'w');"
                + " os.chmod('py', 0o6755)\" && echo done");

        // then
        assertThat(result.stdout()).isEqualTo("done\n");
        for (String name : new String[] {"suid", "sgid", "dir", "py"}) {
            int mode = (Integer) Files.getAttribute(work.resolve(name), "unix:mode", LinkOption.NOFOLLOW_LINKS);
            assertThat(mode & 06000).as(name + " mode %o", mode).isZero();
        }
    }

    @Test
    void should_run_with_no_capability_and_no_new_privileges() {
        ExecResult result = sandbox.exec("sh", "-c", "grep -E '^(CapInh|CapPrm|CapEff|CapAmb|NoNewPrivs)' /proc/self/status");

        assertThat(result.stdout()).isEqualTo("CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n"
                + "CapEff:\t0000000000000000\nCapAmb:\t0000000000000000\nNoNewPrivs:\t1\n");
    }
}
