package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxProviderContract;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.LedgerEntry;
import io.sandbox402.x402.Wallet;

/** The sandbox contract, paid for real through the emulator, which runs the sandboxes in bubblewrap. */
class BlockRunProviderContractTest extends SandboxProviderContract {
    private LocalProvider local;
    private BlockRunEmulator emulator;
    private BlockRunProvider blockRun;

    @Override
    protected SandboxProvider provider() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local).build().start();
        blockRun = BlockRunProvider.builder()
                .apiUrl(emulator.baseUrl())
                .wallet(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY))
                .shutdownHook(false)
                .build();
        return blockRun;
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
}
