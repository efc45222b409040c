package io.sandbox402.agent.cli;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.BlockRunProfile;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.Wallet;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "emulator", description = {"Run a local BlockRun (the emulator) in the foreground until Ctrl-C.",
        "It verifies x402 payments for real; every wallet starts with $1000 of simulated USDC."})
final class EmulatorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "4020", description = "The port; 0 picks a free one. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "The address. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "public-beta",
            description = "BlockRun's terms to play: public-beta (its current API reference: strict limits, $0.002 calls,"
                    + " flat or hourly creates) or seed-terms (the original partner page: $0.01 create, $0.001 calls,"
                    + " setup commands and custom images). Default: ${DEFAULT-VALUE}")
    String profile;

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        BlockRunProfile terms;
        try {
            terms = BlockRunProfile.named(profile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        // The emulator runs what it is paid for in bubblewrap: a missing prerequisite is a configuration error (exit 2).
        LocalProvider sandboxes = LocalProvider.builder().shutdownHook(false).build();
        if (!sandboxes.isAvailable()) {
            String reason = sandboxes.description().substring("local: ".length());
            sandboxes.close();
            throw new UsageException(reason + " The emulator runs the code it is paid for in bubblewrap.");
        }
        BlockRunEmulator emulator = BlockRunEmulator.builder().host(host).port(port).profile(terms).provider(sandboxes)
                .build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            sandboxes.close();
            stopped.countDown();
        }, "emulator-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("BlockRun emulator listening on " + emulator.baseUrl());
        out.println("Use it from another shell:");
        out.println("  export BLOCKRUN_API_URL=" + emulator.baseUrl());
        out.println("  export BLOCKRUN_WALLET_KEY=" + BlockRunEmulator.DEVELOPMENT_KEY);
        out.println("(a public development key, address " + Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY).address()
                + "; never use it on a real chain)");
        out.println("Profile: " + terms.name() + " (BlockRun's terms played; --profile public-beta|seed-terms)");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
