package io.sandbox402.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.testing.Prerequisites;
import java.time.Duration;
import java.util.List;
import java.util.Random;
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
}
