package io.sandbox402.samples;

import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Gpu;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.PaymentRefusedException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A GPU job: ask the free quote first, then create a GPU sandbox within a per-call cap raised for it
 * (the default $0.05 refuses every GPU tier above a T4, before anything is signed). On the emulator
 * the GPU is simulated: the price and the config are BlockRun's, the code runs on the CPU.
 */
public final class GpuJob {
    public static void main(String[] args) {
        run(SampleSandboxes.kind(args), Gpu.A10G, new BigDecimal("0.15"), System.out);
    }

    static String run(String kind, Gpu gpu, BigDecimal maxCostPerCall, PrintStream out) {
        PaymentPolicy policy = PaymentPolicy.builder().maxCostPerCall(maxCostPerCall).build();
        try (SampleSandboxes sandboxes = SampleSandboxes.open(kind, policy)) {
            if (sandboxes.provider() instanceof BlockRunProvider blockRun) {
                BigDecimal price = blockRun.quote("create", Map.of("gpu", gpu.wireName())).usd();
                out.println("a " + gpu.wireName() + " sandbox costs $" + price.stripTrailingZeros().toPlainString()
                        + " to create (cap $" + maxCostPerCall + ")");
            }
            try (Sandbox sandbox = sandboxes.provider().create(SandboxSpec.builder().gpu(gpu).build())) {
                ExecResult result = sandbox.runCode(Language.PYTHON,
                        "import platform\nprint('training on', platform.machine(), '... done')");
                out.print(result.stdout());
                out.println("spent: " + sandboxes.spent());
                return result.stdout();
            } catch (PaymentRefusedException refused) {
                out.println("refused before signing: " + refused.getMessage());
                return refused.getMessage();
            }
        }
    }
}
