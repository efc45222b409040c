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
                command.get(command.indexOf("local-1") + 3), command.get(command.indexOf("--no-new-privs") + 2));
        assertThat(programs).containsExactly("/usr/bin/nsenter", "/usr/bin/sh", "/usr/bin/setsid", "/usr/bin/prlimit");
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

    @Test
    void should_trust_a_cached_probe_only_for_the_same_executable(@TempDir Path dir) throws Exception {
        // given a bwrap that cannot make a jail, and an empty cache
        Path bwrap = dir.resolve("bwrap");
        Files.writeString(bwrap, "#!/bin/sh\necho 'no user namespaces' >&2\nexit 1\n");
        assertThat(bwrap.toFile().setExecutable(true)).isTrue();
        Path cache = dir.resolve("cache/local-probe");

        // when it is probed, then it is unavailable and nothing is cached
        assertThat(Bubblewrap.probe(bwrap.toString(), cache).unavailableReason()).contains("no user namespaces");
        assertThat(cache).doesNotExist();

        // when the cache says this very executable made a jail, then the probe believes it
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, Bubblewrap.identity(bwrap.toString()) + "\n");
        assertThat(Bubblewrap.probe(bwrap.toString(), cache).unavailableReason()).isNull();

        // when the executable changes, then the cache no longer holds and the probe runs it again
        Files.writeString(bwrap, "#!/bin/sh\necho 'still no user namespaces' >&2\nexit 1\n");
        assertThat(Bubblewrap.probe(bwrap.toString(), cache).unavailableReason()).contains("still no user namespaces");
    }

    @Test
    void should_cache_a_successful_probe(@TempDir Path dir) {
        // given the real bwrap and an empty cache
        Path cache = dir.resolve("local-probe");

        // when
        Bubblewrap.Host host = Bubblewrap.probe("bwrap", cache);

        // then
        assertThat(host.unavailableReason()).isNull();
        assertThat(cache).content().startsWith(Bubblewrap.identity(Bubblewrap.resolve("bwrap")));
    }
}
