package io.sandbox402.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.EmulatorRequest;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A one-shot {@code run --sandbox blockrun} after another: one request per paid call, the URL check included. */
class RunQuoteCacheTest {
    private static final String PROPERTY = "sandbox402.quoteCache";

    @TempDir
    Path cache;

    @Test
    void should_make_one_request_per_paid_call_when_the_prices_are_remembered() {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build();
                BlockRunEmulator emulator = BlockRunEmulator.builder().provider(local).build().start()) {
            Prerequisites.require(local.isAvailable(), local.description());
            System.setProperty(PROPERTY, cache.toString()); // the quote cache of both runs, instead of ~/.cache
            Map<String, String> env = Map.of("BLOCKRUN_WALLET_KEY", DevKeys.ACCOUNT_0_KEY, "BLOCKRUN_API_URL", emulator.baseUrl());

            CliProcess.Outcome first = Cli.run(env, "run", "--sandbox", "blockrun", "print(1)");
            int afterFirst = emulator.requests().size();
            CliProcess.Outcome second = Cli.run(env, "run", "--sandbox", "blockrun", "print(2)");

            assertThat(first.exitCode()).as(first.stderr()).isZero();
            assertThat(second.exitCode()).as(second.stderr()).isZero();
            assertThat(second.stdout()).isEqualTo("2\n");
            // The first: the URL check (an unpaid create), then a 402 and a paid request for each call.
            assertThat(afterFirst).isEqualTo(7);
            List<EmulatorRequest> log = emulator.requests();
            assertThat(log.subList(afterFirst, log.size())).extracting(EmulatorRequest::operation, EmulatorRequest::paid)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("create", true),
                            org.assertj.core.groups.Tuple.tuple("exec", true),
                            org.assertj.core.groups.Tuple.tuple("terminate", true));
        } finally {
            System.clearProperty(PROPERTY);
        }
    }
}
