package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A program that never closes its provider still leaks no sandbox: the shutdown hook terminates them. */
class ShutdownHookTest {

    @ParameterizedTest
    @ValueSource(strings = {"exit", "sigterm"})
    void should_terminate_sandboxes_when_the_jvm_ends_without_close(String ending) throws Exception {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
            try (BlockRunEmulator emulator = BlockRunEmulator.builder().provider(local).build().start()) {
                // given a separate JVM that created two sandboxes
                Process client = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), LeakyClient.class.getName(), emulator.baseUrl(), ending))
                        .redirectErrorStream(true).start();
                BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("created");

                // when it exits without closing, or is stopped as by Ctrl-C
                if (ending.equals("sigterm")) {
                    assertThat(emulator.runningSandboxes()).isEqualTo(2);
                    client.destroy();
                }
                assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();

                // then its shutdown hook terminated both
                assertThat(emulator.runningSandboxes()).isZero();
                assertThat(emulator.requests().stream().filter(r -> r.operation().equals("terminate") && r.status() == 200))
                        .hasSize(2);
            }
        }
    }
}
