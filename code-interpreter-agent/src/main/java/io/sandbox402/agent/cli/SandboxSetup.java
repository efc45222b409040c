package io.sandbox402.agent.cli;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.SpendLedger;

/**
 * The sandbox provider a command uses, with what came with it: the payment policy and ledger of a
 * paid one, the in-process emulator of {@code --sandbox emulator}. Closing it terminates every
 * sandbox and stops the emulator.
 */
record SandboxSetup(String kind, SandboxProvider provider, PaymentPolicy policy, SpendLedger ledger,
        BlockRunEmulator emulator) implements AutoCloseable {

    boolean paid() {
        return ledger != null;
    }

    @Override
    public void close() {
        provider.close();
        if (emulator != null) {
            emulator.close();
        }
    }
}
