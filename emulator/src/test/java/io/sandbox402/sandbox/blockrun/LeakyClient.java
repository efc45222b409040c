package io.sandbox402.sandbox.blockrun;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.Wallet;

/** A program that creates sandboxes and never terminates them: it exits, or waits to be killed. */
public final class LeakyClient {
    public static void main(String[] args) throws InterruptedException {
        BlockRunProvider provider = BlockRunProvider.builder().apiUrl(args[0]).wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY)).build();
        provider.create(SandboxSpec.defaults());
        provider.create(SandboxSpec.defaults());
        System.out.println("created");
        System.out.flush();
        if (args[1].equals("exit")) {
            System.exit(1); // a crash of the caller's code: no close()
        }
        Thread.sleep(60_000); // killed by the test (SIGTERM, as Ctrl-C)
    }
}
