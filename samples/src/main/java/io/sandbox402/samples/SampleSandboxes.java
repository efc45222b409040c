package io.sandbox402.samples;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.SpendLedger;
import io.sandbox402.x402.Usdc;
import io.sandbox402.x402.Wallet;

/**
 * Where the samples run: {@code emulator} (default: the whole paid flow, locally, without money),
 * {@code local} (free bubblewrap) or {@code blockrun} (real, paid from BLOCKRUN_WALLET_KEY).
 */
record SampleSandboxes(SandboxProvider provider, SpendLedger ledger, BlockRunEmulator emulator) implements AutoCloseable {

    static SampleSandboxes open(String kind, PaymentPolicy policy) {
        return switch (kind) {
            case "local" -> new SampleSandboxes(LocalProvider.create(), null, null);
            case "blockrun" -> {
                SpendLedger ledger = new SpendLedger();
                yield new SampleSandboxes(BlockRunProvider.builder().wallet(Wallet.fromEnvironment()).policy(policy)
                        .ledger(ledger).build(), ledger, null);
            }
            case "emulator" -> {
                BlockRunEmulator emulator = BlockRunEmulator.builder().build().start();
                SpendLedger ledger = new SpendLedger();
                yield new SampleSandboxes(BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(Wallet.random())
                        .policy(policy).ledger(ledger).build(), ledger, emulator);
            }
            default -> throw new IllegalArgumentException("Use emulator, local or blockrun, not '" + kind + "'.");
        };
    }

    static String kind(String[] args) {
        return args.length > 0 ? args[0] : "emulator";
    }

    String spent() {
        return ledger == null ? "free" : Usdc.format(ledger.totalCommitted());
    }

    @Override
    public void close() {
        provider.close();
        if (emulator != null) {
            emulator.close();
        }
    }
}
