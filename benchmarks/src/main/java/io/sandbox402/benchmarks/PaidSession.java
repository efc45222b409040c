package io.sandbox402.benchmarks;

import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.x402.Wallet;

/**
 * A fresh process's paid session, for {@link PerformanceTable} rows 2 and 3: creates a sandbox on the
 * BlockRun at {@code BLOCKRUN_API_URL}, paying from {@code BLOCKRUN_WALLET_KEY}, runs {@code execs}
 * commands, terminates it. Built only from public API and the environment, as an application would.
 *
 * <p>Run: {@code java -cp benchmarks.jar io.sandbox402.benchmarks.PaidSession 20}
 */
public final class PaidSession {
    private PaidSession() {}

    public static void main(String[] args) {
        int execs = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        try (BlockRunProvider provider = BlockRunProvider.fromEnvironment()) {
            Sandbox sandbox = provider.create(SandboxSpec.defaults());
            try {
                for (int i = 0; i < execs; i++) {
                    sandbox.exec("echo", Integer.toString(i));
                }
            } finally {
                sandbox.terminate();
            }
        }
    }
}
