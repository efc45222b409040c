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
        Bubblewrap bubblewrap = Bubblewrap.create("bwrap", root);
        Path work = Files.createDirectory(root.resolve("work"));

        // when
        List<String> command = bubblewrap.command(work, false, List.of("prlimit", "--nproc=8"), List.of("echo", "hi"));

        // then bubblewrap comes first, so RLIMIT_NPROC counts the jail's processes, not all of the host user's
        assertThat(command.get(0)).isEqualTo("bwrap");
        assertThat(command.subList(command.indexOf("--"), command.size()))
                .containsExactly("--", "prlimit", "--nproc=8", "--", "echo", "hi");
        assertThat(command).doesNotContain("--share-net");
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
