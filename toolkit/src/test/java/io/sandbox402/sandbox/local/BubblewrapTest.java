package io.sandbox402.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jail's command line, where running it cannot show the difference (the tests run as root). */
class BubblewrapTest {

    @Test
    void should_apply_the_limits_inside_the_jail_when_building_a_command(@TempDir Path root) throws Exception {
        // given
        Bubblewrap bubblewrap = Bubblewrap.create(Bubblewrap.host("bwrap"), root);
        Path work = Files.createDirectory(root.resolve("work"));
        Path tmp = Files.createDirectory(root.resolve("tmp"));

        // when
        List<String> command = bubblewrap.command(work, tmp, false, List.of("--nproc=8"), List.of("echo", "hi"));

        // then bubblewrap comes first, so RLIMIT_NPROC counts the jail's processes, not all of the host user's
        assertThat(command.get(0)).isEqualTo(Bubblewrap.resolve("bwrap")).startsWith("/");
        assertThat(command.subList(command.indexOf("--"), command.size()))
                .containsExactly("--", "/usr/bin/prlimit", "--nproc=8", "--", "echo", "hi");
        assertThat(command).doesNotContain("--share-net");
    }

    @Test
    void should_start_every_host_program_by_absolute_path_and_put_the_writable_bin_last(@TempDir Path root)
            throws Exception {
        // given
        Bubblewrap bubblewrap = Bubblewrap.create(Bubblewrap.host("bwrap"), root);

        // when
        List<String> command = bubblewrap.execCommand(42, "local-1", List.of("--nproc=8"), List.of("echo", "hi"));

        // then
        List<String> programs = List.of(command.get(0), command.get(command.indexOf("--") + 1),
                command.get(command.indexOf("local-1") + 1), command.get(command.indexOf("--no-new-privs") + 2),
                command.get(command.indexOf("-i") + 6));
        assertThat(programs).containsExactly("/usr/bin/nsenter", "/usr/bin/sh", "/usr/bin/setsid", "/usr/bin/env",
                "/usr/bin/prlimit");
        assertThat(bubblewrap.jailPath()).endsWith(":/usr/sbin:/sbin:/work/.local/bin");
        assertThat(bubblewrap.jailPath().indexOf("/work")).isEqualTo(bubblewrap.jailPath().lastIndexOf(":") + 1);
    }

    @Test
    void should_refuse_to_bind_an_interpreter_directory_when_it_holds_a_home_or_the_whole_machine(@TempDir Path root) {
        Path home = Path.of(System.getProperty("user.home"));

        assertThat(Bubblewrap.exposesTooMuch(Path.of("/"), root)).isTrue();
        assertThat(Bubblewrap.exposesTooMuch(Path.of("/opt"), root)).isTrue();
        assertThat(Bubblewrap.exposesTooMuch(home, root)).isTrue();
        assertThat(Bubblewrap.exposesTooMuch(root.getParent(), root)).isTrue();
        assertThat(Bubblewrap.exposesTooMuch(home.resolve(".pyenv/versions/3.11.7"), root)).isFalse();
        assertThat(Bubblewrap.exposesTooMuch(Path.of("/opt/node-v20"), root)).isFalse();
    }
}
