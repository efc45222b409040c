package io.sandbox402.agent.cli;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.SpendLedger;
import io.sandbox402.x402.Wallet;
import java.math.BigDecimal;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options every command that runs code shares: where it runs and what it may spend. */
final class SandboxOptions {
    @Option(names = "--sandbox", paramLabel = "KIND",
            description = "blockrun, local or emulator. Default: blockrun when BLOCKRUN_WALLET_KEY is set, else local.")
    String sandbox;

    @Option(names = "--api-url", paramLabel = "URL", description = "BlockRun's API (BLOCKRUN_API_URL). Default: "
            + BlockRunProvider.DEFAULT_API_URL)
    String apiUrl;

    @Option(names = "--max-cost-per-call", paramLabel = "USD",
            description = "The most one request may cost (BLOCKRUN_MAX_COST_PER_CALL). Default: 0.05")
    String maxCostPerCall;

    @Option(names = "--max-session-cost", paramLabel = "USD",
            description = "The most this run may spend (BLOCKRUN_MAX_SESSION_COST). Default: 1.00")
    String maxSessionCost;

    String kind(Environment env) {
        String kind = sandbox != null ? sandbox.toLowerCase(Locale.ROOT)
                : env.resolve(null, Wallet.KEY_VARIABLE) != null ? "blockrun" : "local";
        if (!kind.equals("blockrun") && !kind.equals("local") && !kind.equals("emulator")) {
            throw new UsageException("Unknown sandbox '" + sandbox + "'. Use --sandbox blockrun, local or emulator.");
        }
        return kind;
    }

    PaymentPolicy policy(Environment env) {
        PaymentPolicy.Builder policy = PaymentPolicy.builder();
        String perCall = env.resolve(maxCostPerCall, PaymentPolicy.MAX_COST_PER_CALL_VARIABLE);
        String session = env.resolve(maxSessionCost, PaymentPolicy.MAX_SESSION_COST_VARIABLE);
        try {
            if (perCall != null) {
                policy.maxCostPerCall(PaymentPolicy.parseUsd(perCall, "--max-cost-per-call"));
            }
            if (session != null) {
                policy.maxSessionCost(PaymentPolicy.parseUsd(session, "--max-session-cost"));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return policy.build();
    }

    SandboxSetup open(Environment env) {
        String kind = kind(env);
        switch (kind) {
            case "local" -> {
                LocalProvider local = LocalProvider.create();
                if (!local.isAvailable()) {
                    String reason = local.description();
                    local.close();
                    throw new UsageException(reason.substring("local: ".length()));
                }
                return new SandboxSetup(kind, local, null, null, null);
            }
            case "emulator" -> {
                // A whole paid flow without money: a local BlockRun, and a fresh wallet it funds.
                BlockRunEmulator emulator = BlockRunEmulator.builder().build().start();
                PaymentPolicy policy = policy(env);
                SpendLedger ledger = new SpendLedger();
                BlockRunProvider provider = BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(Wallet.random())
                        .policy(policy).ledger(ledger).build();
                return new SandboxSetup(kind, provider, policy, ledger, emulator);
            }
            default -> {
                Wallet wallet;
                try {
                    wallet = Wallet.fromEnvironmentIfPresent(env.variables()).orElseThrow(() -> new UsageException(
                            "BLOCKRUN_WALLET_KEY is not set; --sandbox blockrun pays from that wallet. Set it, or use"
                                    + " --sandbox local (free, on this machine) or --sandbox emulator (a local BlockRun)."));
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                PaymentPolicy policy = policy(env);
                SpendLedger ledger = new SpendLedger();
                BlockRunProvider.Builder builder = BlockRunProvider.builder().wallet(wallet).policy(policy).ledger(ledger);
                String url = env.resolve(apiUrl, BlockRunProvider.API_URL_VARIABLE);
                if (url != null) {
                    builder.apiUrl(url);
                }
                return new SandboxSetup(kind, builder.build(), policy, ledger, null);
            }
        }
    }

    static String usd(BigDecimal usd) {
        return "$" + usd.setScale(4, java.math.RoundingMode.HALF_UP).toPlainString();
    }
}
