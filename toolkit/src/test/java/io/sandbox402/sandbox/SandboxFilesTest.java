package io.sandbox402.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.testing.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and programs within BlockRun's public beta limits, on a {@link HostSandbox} that checks every
 * exec against them: byte-exact round trips, and the number of execs each size costs.
 */
class SandboxFilesTest {
    @TempDir
    Path directory;
    HostSandbox sandbox;

    @BeforeEach
    void sandbox() throws Exception {
        Prerequisites.require(new ProcessBuilder("python3", "-c", "pass").start().waitFor() == 0, "python3 is not on PATH");
        sandbox = new HostSandbox(directory, SandboxLimits.blockRunPublicBeta());
    }

    /** A Python program of about {@code bytes} bytes: typical code, which zlib shrinks about fivefold. */
    static String program(int bytes) {
        StringBuilder code = new StringBuilder("total = 0\n");
        for (int i = 0; code.length() < bytes - 40; i++) {
            code.append("def f").append(i).append("(x):\n    return x * ").append(i % 97).append(" + ").append(i).append('\n');
            code.append("total += f").append(i).append('(').append(i % 13).append(")\n");
        }
        return code.append("print(total)\n").toString();
    }

    @Test
    void should_round_trip_a_five_megabyte_random_file_in_the_fewest_execs() throws Exception {
        // given
        byte[] content = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(content);

        // when
        sandbox.writeFile("data/blob.bin", content);
        int writes = sandbox.execs.size();
        byte[] read = sandbox.readFile("data/blob.bin");

        // then
        assertThat(Files.readAllBytes(directory.resolve("data/blob.bin"))).isEqualTo(content);
        assertThat(read).isEqualTo(content);
        // 5 MiB of base85 is 6,553,600 characters; an exec carries 30 × 2000 plus what the script leaves inline.
        assertThat(writes).isEqualTo((int) Math.ceil(6_553_600 / (double) capacity()));
        assertThat(sandbox.execs.size() - writes).isEqualTo(10); // 512 KiB per read exec
        assertThat(sandbox.execs).allSatisfy(exec -> assertThat(exec.timeout()).isNotNull());
    }

    @Test
    void should_run_a_100_kilobyte_program_in_one_exec() {
        String code = program(100_000);

        ExecResult result = sandbox.runCode(Language.PYTHON, code);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isNotBlank();
        assertThat(sandbox.execs).hasSize(1);
    }

    @Test
    void should_run_a_program_too_large_for_one_exec_across_several() {
        // given: random text, which zlib cannot shrink much
        Random random = new Random(3);
        StringBuilder code = new StringBuilder("data = '");
        while (code.length() < 200_000) {
            code.append((char) ('a' + random.nextInt(26)));
        }
        code.append("'\nprint(len(data))\n");

        // when
        ExecResult result = sandbox.runCode(Language.PYTHON, code.toString());

        // then
        assertThat(result.stdout()).isEqualTo((code.length() - 27) + "\n");
        assertThat(sandbox.execs.size()).isBetween(2, 4);
        assertThat(sandbox.execs.get(sandbox.execs.size() - 1).command().get(1)).contains("os.execvp('python3'");
    }

    @Test
    void should_write_paths_with_spaces_dashes_and_unicode() {
        sandbox.writeFile("dir with space/-n é.txt", "héllo".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(sandbox.readFile("dir with space/-n é.txt"), StandardCharsets.UTF_8)).isEqualTo("héllo");
    }

    @Test
    void should_refuse_a_sparse_gigabyte_file_without_reading_it() throws Exception {
        // given: a file that claims 1 GiB and holds nothing
        try (var file = new java.io.RandomAccessFile(directory.resolve("sparse.bin").toFile(), "rw")) {
            file.setLength(1L << 30);
        }

        // when / then
        assertThatThrownBy(() -> sandbox.readFile("sparse.bin"))
                .isInstanceOf(SandboxException.class)
                .hasMessage("Cannot read sparse.bin in sandbox " + sandbox.id() + ": it is 1073741824 bytes, above the read"
                        + " cap of 67108864 bytes. Read it with readFile(path, maxBytes) and a larger maxBytes, or read a"
                        + " part of it (head, tail, a query) with exec.");
        assertThat(sandbox.execs).hasSize(1);
    }

    @Test
    void should_read_a_file_whose_reported_size_is_wrong_up_to_the_cap() {
        // /proc files report a size of 0 and hold more
        byte[] status = sandbox.readFile("/proc/self/status");
        assertThat(new String(status, StandardCharsets.UTF_8)).contains("Name:");

        assertThatThrownBy(() -> sandbox.readFile("/proc/self/status", 10))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("holds more than its reported 0 bytes, above the read cap of 10 bytes");
    }

    @Test
    void should_say_when_a_file_does_not_exist() {
        assertThatThrownBy(() -> sandbox.readFile("missing.txt"))
                .isInstanceOf(SandboxException.class)
                .hasMessage("Cannot read missing.txt in sandbox " + sandbox.id() + ": it does not exist.");
    }

    @Test
    void should_refuse_a_command_over_the_limits_before_running_it() {
        List<String> command = new java.util.ArrayList<>(List.of("echo"));
        for (int i = 0; i < 32; i++) {
            command.add("x");
        }

        assertThatThrownBy(() -> sandbox.exec(new ExecRequest(command, null)))
                .isInstanceOf(SandboxLimitException.class)
                .hasMessage("The command has 33 segments, above the provider's limit of 32 per exec; nothing was sent or"
                        + " paid. Pass data through files (Sandbox.writeFile) or join arguments into one shell command.");
        assertThat(sandbox.execs).isEmpty();
    }

    @Test
    void should_decode_what_python_encodes_in_base85() throws Exception {
        byte[] bytes = new byte[1001];
        new Random(1).nextBytes(bytes);
        for (int length : new int[] {0, 1, 2, 3, 4, 5, 1001}) {
            byte[] part = java.util.Arrays.copyOf(bytes, length);
            assertThat(Base85.decode(Base85.encode(part))).isEqualTo(part);
        }
        ExecResult python = sandbox.exec("python3", "-c", "import base64;print(base64.b85encode(bytes(range(256))).decode())");
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertThat(python.stdout().strip()).isEqualTo(Base85.encode(all));
    }

    /** Base85 characters one write exec carries under the public beta's limits. */
    private int capacity() {
        byte[] random = new byte[1 << 20];
        new Random(2).nextBytes(random);
        ExecRequest first = SandboxFiles.writeExecs(sandbox.limits(), "data/blob.bin", random, null).get(0);
        int chars = 0;
        for (String segment : first.command()) {
            chars += segment.length();
        }
        return chars - first.command().get(0).length() - (first.command().get(1).length() - inline(first.command().get(1)));
    }

    private static int inline(String script) {
        int start = script.indexOf("b85decode('") + "b85decode('".length();
        return script.indexOf('\'', start) - start;
    }
}
