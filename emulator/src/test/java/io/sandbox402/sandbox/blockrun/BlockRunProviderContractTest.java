package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.BlockRunProfile;
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
        emulator = BlockRunEmulator.builder().provider(local)
                .profile(BlockRunProfile.publicBeta().toBuilder().maxExecTimeout(Duration.ofSeconds(EXEC_LIMIT_SECONDS)).build())
                .build().start();
        blockRun = blockRun(SandboxLimits.blockRunPublicBeta().withMaxExecTimeout(Duration.ofSeconds(EXEC_LIMIT_SECONDS)),
                BlockRunTerms.publicBeta());
        return blockRun;
    }

    private BlockRunProvider blockRun(SandboxLimits limits, BlockRunTerms terms) {
        return blockRun(emulator, limits, terms);
    }

    private static BlockRunProvider blockRun(BlockRunEmulator emulator, SandboxLimits limits, BlockRunTerms terms) {
        return BlockRunProvider.builder()
                .apiUrl(emulator.baseUrl())
                .wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY))
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
        // given: an emulator on BlockRun's seed terms, which run setup commands inside the create
        try (BlockRunEmulator seedTerms = BlockRunEmulator.builder().provider(local).profile(BlockRunProfile.seedTerms())
                        .build().start();
                BlockRunProvider seed = blockRun(seedTerms, SandboxLimits.blockRunPublicBeta().withSetupCommandsAtCreate(true),
                        BlockRunTerms.seed())) {

            // when
            Sandbox prepared = seed.create(SandboxSpec.builder().setupCommand("echo seeded > setup.txt").build());

            // then: one create, no exec for the setup
            assertThat(seedTerms.requests()).extracting(EmulatorRequest::operation).doesNotContain("exec");
            assertThat(prepared.exec("cat", "setup.txt").stdout()).isEqualTo("seeded\n");
        }
    }

    @Test
    void should_run_setup_commands_as_paid_execs_on_the_public_beta() {
        // when
        Sandbox prepared = provider.create(SandboxSpec.builder().setupCommand("echo ready > setup.txt").build());

        // then: the create carried no setup_commands (the strict emulator would answer 400), execs ran them
        assertThat(prepared.exec("cat", "setup.txt").stdout()).isEqualTo("ready\n");
        assertThat(emulator.requests()).extracting(EmulatorRequest::status).doesNotContain(400);
    }
}
