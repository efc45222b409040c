package io.sandbox402.agent.cli;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.LedgerEntry;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.SpendLedger;
import java.math.BigDecimal;
import java.util.List;

/**
 * The sandbox provider a command uses, with what came with it: the spec of its sandboxes, the
 * payment policy and ledger of a paid one, the in-process emulator of {@code --sandbox emulator}.
 * Closing it terminates every sandbox, stops the emulator and closes the ledger file. Idempotent.
 */
record SandboxSetup(String kind, SandboxProvider provider, SandboxSpec spec, PaymentPolicy policy, SpendLedger ledger,
        BlockRunEmulator emulator, AutoCloseable local) implements AutoCloseable {

    boolean paid() {
        return ledger != null;
    }

    /** The payments so far, one snapshot, so a total and its list always agree. */
    List<LedgerEntry> payments() {
        return ledger == null ? List.of() : ledger.entries();
    }

    /** What {@code payments} committed: settled, pending or of unknown outcome. */
    static BigDecimal cost(List<LedgerEntry> payments) {
        return payments.stream().filter(p -> p.outcome().commits()).map(LedgerEntry::usd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Override
    public synchronized void close() {
        provider.close();
        if (emulator != null) {
            emulator.close();
        }
        try {
            if (local != null) {
                local.close();
            }
        } catch (Exception e) {
            // nothing left to free: the sandboxes were terminated above
        }
        if (ledger != null) {
            ledger.close();
        }
    }
}
