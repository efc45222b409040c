package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.EmulatorRequest;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxLimitException;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxProviderContract;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.LedgerEntry;
import io.sandbox402.x402.Wallet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sandbox contract, paid for real through the emulator, which runs the sandboxes in bubblewrap.
 * The exec limit is 8 s here instead of BlockRun's 60, so that work three limits long takes seconds.
 */
class BlockRunProviderContractTest extends SandboxProviderContract {
    static final int EXEC_LIMIT_SECONDS = 8;
    private LocalProvider local;
    private BlockRunEmulator emulator;
    private BlockRunProvider blockRun;

    @Override
    protected SandboxProvider provider() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local).maxExecTimeoutSeconds(EXEC_LIMIT_SECONDS).build().start();
        blockRun = blockRun(SandboxLimits.blockRunPublicBeta().withMaxExecTimeout(Duration.ofSeconds(EXEC_LIMIT_SECONDS)),
                BlockRunTerms.publicBeta());
        return blockRun;
    }

    private BlockRunProvider blockRun(SandboxLimits limits, BlockRunTerms terms) {
        return BlockRunProvider.builder()
                .apiUrl(emulator.baseUrl())
                .wallet(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY))
                .limits(limits)
                .terms(terms)
                .shutdownHook(false)
                .build();
    }

    @Override
    protected void afterClose() {
        try {
            assertThat(emulator.runningSandboxes()).isZero();
            assertThat(blockRun.runningSandboxes()).isZero();
            assertThat(blockRun.ledger().entries()).isNotEmpty()
                    .allMatch(entry -> entry.outcome() == LedgerEntry.Outcome.SETTLED
                            || entry.outcome() == LedgerEntry.Outcome.UNUSED);
            assertThat(emulator.balanceOf(DevKeys.ACCOUNT_0_ADDRESS))
                    .isEqualByComparingTo(new java.math.BigDecimal("1000").subtract(blockRun.ledger().totalSettled()));
        } finally {
            emulator.close();
            local.close();
        }
    }

    @Test
    void should_refuse_an_exec_of_33_segments_before_paying() {
        // given
        List<String> command = new ArrayList<>(List.of("echo"));
        for (int i = 0; i < 32; i++) {
            command.add("segment-" + i);
        }
        int requests = emulator.requests().size();
        int payments = blockRun.ledger().count();

        // when / then
        assertThatThrownBy(() -> sandbox.exec(new ExecRequest(command, null)))
                .isInstanceOf(SandboxLimitException.class)
                .hasMessageStartingWith("The command has 33 segments, above the provider's limit of 32 per exec; nothing was"
                        + " sent or paid.");
        assertThat(emulator.requests()).hasSize(requests);
        assertThat(blockRun.ledger().count()).isEqualTo(payments);
    }

    @Test
    void should_send_every_exec_within_the_limits() {
        // given: work that builds commands: files, a program, a read
        sandbox.writeFile("big.txt", "line\n".repeat(40_000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sandbox.readFile("big.txt");
        sandbox.runCode(io.sandbox402.sandbox.Language.PYTHON, "print(1)");

        // then: the emulator saw no 400
        assertThat(emulator.requests()).extracting(EmulatorRequest::status).doesNotContain(400);
    }

    @Test
    void should_run_setup_commands_at_create_where_the_terms_allow_them() {
        // given: seed terms, which run setup commands inside the create
        try (BlockRunProvider seed = blockRun(SandboxLimits.blockRunPublicBeta().withSetupCommandsAtCreate(true),
                BlockRunTerms.seed())) {
            int execs = (int) emulator.requests().stream().filter(r -> r.operation().equals("exec")).count();

            // when
            Sandbox prepared = seed.create(SandboxSpec.builder().setupCommand("echo seeded > setup.txt").build());

            // then: one create, no exec for the setup
            assertThat(emulator.requests().stream().filter(r -> r.operation().equals("exec")).count()).isEqualTo(execs);
            assertThat(prepared.exec("cat", "setup.txt").stdout()).isEqualTo("seeded\n");
        }
    }
}
