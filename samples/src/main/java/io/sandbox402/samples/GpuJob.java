package io.sandbox402.samples;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Gpu;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.PaymentRefusedException;
import io.sandbox402.x402.SpendLedger;
import io.sandbox402.x402.Usdc;
import io.sandbox402.x402.Wallet;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A GPU job: ask the free quote first, then create a GPU sandbox within a per-call cap raised for it
 * (the default $0.05 refuses every GPU tier, before anything is signed). On the emulator
 * the GPU is simulated: the price and the config are BlockRun's, the code runs on the CPU.
 *
 * <p>Run: {@code java -cp ... io.sandbox402.samples.GpuJob [emulator|blockrun]} (a GPU needs BlockRun, or its emulator).
 */
public final class GpuJob {
    public static void main(String[] args) {
        System.exit(launch(args, System.out, System.err));
    }

    static int launch(String[] args, PrintStream out, PrintStream err) {
        String kind = args.length == 0 ? "emulator" : args[0];
        if (args.length > 1 || !(kind.equals("emulator") || kind.equals("blockrun"))) {
            err.println("usage: GpuJob [emulator|blockrun] (a GPU sandbox needs BlockRun or its emulator; the local sandbox has no GPU)");
            return 2;
        }
        try {
            run(kind, Gpu.A10G, new BigDecimal("0.15"), out);
            return 0;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    static String run(String kind, Gpu gpu, BigDecimal maxCostPerCall, PrintStream out) {
        PaymentPolicy policy = PaymentPolicy.builder().maxCostPerCall(maxCostPerCall).build();
        SpendLedger ledger = new SpendLedger();
        try (BlockRunEmulator emulator = kind.equals("emulator") ? BlockRunEmulator.builder().build().start() : null;
                BlockRunProvider provider = BlockRunProvider.builder()
                        .apiUrl(emulator != null ? emulator.baseUrl() : BlockRunProvider.DEFAULT_API_URL)
                        .wallet(emulator != null ? Wallet.random() : Wallet.fromEnvironment())
                        .policy(policy).ledger(ledger).build()) {
            BigDecimal price = provider.quote("create", Map.of("gpu", gpu.wireName())).usd();
            out.println("a " + gpu.wireName() + " sandbox costs " + Usdc.format(price)
                    + " to create (cap " + Usdc.format(maxCostPerCall) + ")");
            try (Sandbox sandbox = provider.create(SandboxSpec.builder().gpu(gpu).build())) {
                ExecResult result = sandbox.runCode(Language.PYTHON,
                        "import platform\nprint('training on', platform.machine(), '... done')");
                out.print(result.stdout());
                out.println("spent: " + Usdc.format(ledger.totalCommitted()));
                return result.stdout();
            } catch (PaymentRefusedException refused) {
                out.println("refused before signing: " + refused.getMessage());
                return refused.getMessage();
            }
        }
    }
}
