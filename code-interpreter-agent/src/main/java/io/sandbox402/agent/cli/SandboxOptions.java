package io.sandbox402.agent.cli;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxProviders;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.SpendLedger;
import io.sandbox402.x402.Wallet;
import java.io.Console;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The options every command that runs code shares: where it runs, what its sandbox gets, and what it may spend. */
final class SandboxOptions {
    static final String KEYSTORE_PASSWORD_VARIABLE = "BLOCKRUN_WALLET_PASSWORD";
    private static final BigInteger SECP256K1_ORDER =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    private static final String KEY_HINT = " It must be a secp256k1 private key: 64 hex digits, optionally after 0x,"
            + " not zero and below the curve order.";

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

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long one program may run. Default: the sandbox's.")
    Integer timeoutSeconds;

    @Option(names = "--network", description = "Let the code reach the network (the local sandbox has none by default).")
    boolean network;

    @Option(names = "--gpu", paramLabel = "NAME", description = "A GPU, for instance T4 or H100 (BlockRun; raise --max-cost-per-call).")
    String gpu;

    @Option(names = "--memory", paramLabel = "MB", description = "Memory of the sandbox in MB.")
    Integer memoryMb;

    @Option(names = "--cpu", paramLabel = "CORES", description = "CPU cores of the sandbox.")
    Double cpu;

    @Option(names = "--max-output", paramLabel = "BYTES", description = "Output kept per stream of a program (local sandbox).")
    Integer maxOutputBytes;

    @Option(names = "--ledger", paramLabel = "FILE", description = "Append every payment to FILE (JSON lines), across runs.")
    Path ledgerFile;

    @Option(names = "--wallet-keystore", paramLabel = "FILE",
            description = "Pay from a web3j/geth keystore; the password from " + KEYSTORE_PASSWORD_VARIABLE + " or a prompt.")
    Path walletKeystore;

    String kind(Environment env) {
        String kind = sandbox != null ? sandbox.toLowerCase(Locale.ROOT)
                : env.resolve(null, Wallet.KEY_VARIABLE) != null || walletKeystore != null ? "blockrun" : "local";
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
                policy.maxCostPerCall(PaymentPolicy.parseUsd(perCall, maxCostPerCall != null ? "--max-cost-per-call"
                        : PaymentPolicy.MAX_COST_PER_CALL_VARIABLE));
            }
            if (session != null) {
                policy.maxSessionCost(PaymentPolicy.parseUsd(session, maxSessionCost != null ? "--max-session-cost"
                        : PaymentPolicy.MAX_SESSION_COST_VARIABLE));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return policy.build();
    }

    SandboxSpec spec() {
        SandboxSpec.Builder spec = SandboxSpec.builder().network(network);
        if (memoryMb != null) {
            spec.memoryMb(positive(memoryMb, "--memory"));
        }
        if (cpu != null) {
            if (!(cpu > 0)) {
                throw new UsageException("--cpu must be positive, was " + cpu + ".");
            }
            spec.cpu(cpu);
        }
        if (gpu != null) {
            try {
                spec.gpu(gpu);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--gpu: " + e.getMessage());
            }
        }
        return spec.build();
    }

    private static int positive(int value, String flag) {
        if (value <= 0) {
            throw new UsageException(flag + " must be positive, was " + value + ".");
        }
        return value;
    }

    private LocalProvider localProvider() {
        LocalProvider.Builder builder = LocalProvider.builder().shutdownHook(false);
        if (maxOutputBytes != null) {
            builder.maxOutputBytes(positive(maxOutputBytes, "--max-output"));
        }
        return builder.build();
    }

    private LocalProvider local() {
        LocalProvider local = localProvider();
        if (!local.isAvailable()) {
            String reason = local.description().substring("local: ".length());
            local.close();
            throw new UsageException(reason + (kind == null || kind.equals("local") ? ""
                    : " The emulator runs the code it is paid for in bubblewrap too."));
        }
        return local;
    }

    private String kind;

    /** The provider, checked before anything is paid: a URL that is not BlockRun's fails here, with exit code 2. */
    SandboxSetup open(Environment env) {
        kind = kind(env);
        SandboxSpec spec = spec();
        Duration timeout = timeoutSeconds == null ? null : Duration.ofSeconds(positive(timeoutSeconds, "--timeout"));
        switch (kind) {
            case "local" -> {
                SandboxProvider local = sandbox != null ? local() : localByDefault();
                return new SandboxSetup(kind, limited(local, timeout), spec, null, null, null, null);
            }
            case "emulator" -> {
                // A whole paid flow without money: a local BlockRun, and a fresh wallet it funds.
                PaymentPolicy policy = policy(env);
                // Making a key loads the elliptic-curve code (about 0.1 s): on another core, while the rest starts.
                CompletableFuture<Wallet> wallet = CompletableFuture.supplyAsync(Wallet::random);
                LocalProvider local = local();
                BlockRunEmulator emulator = BlockRunEmulator.builder().provider(local).build().start();
                SpendLedger ledger = ledger();
                BlockRunProvider provider = BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(wallet.join())
                        // The emulator listens on a new port each run: a quote kept for it would never be used again.
                        .persistentQuotes(false).policy(policy).ledger(ledger).shutdownHook(false).build();
                return new SandboxSetup(kind, limited(provider, timeout), spec, policy, ledger, emulator, local);
            }
            default -> {
                Wallet wallet = wallet(env);
                PaymentPolicy policy = policy(env);
                String url = env.resolve(apiUrl, BlockRunProvider.API_URL_VARIABLE);
                String source = apiUrl != null ? "--api-url" : BlockRunProvider.API_URL_VARIABLE;
                url = url == null ? BlockRunProvider.DEFAULT_API_URL : url;
                SpendLedger ledger = ledger();
                BlockRunProvider provider = BlockRunProvider.builder().apiUrl(url).wallet(wallet).policy(policy).ledger(ledger)
                        .quoteCacheFromEnvironment(env.variables()).shutdownHook(false).build();
                // A create price remembered from this URL (quote cache) shows it is BlockRun's: no extra request.
                if (!provider.remembersPrice("create")) {
                    try {
                        BlockRunCheck.quote(url, source);
                    } catch (RuntimeException e) {
                        provider.close();
                        throw e;
                    }
                }
                return new SandboxSetup(kind, limited(provider, timeout), spec, policy, ledger, null, null);
            }
        }
    }

    /** No --sandbox and no wallet: the local sandbox, or why neither BlockRun nor it can run, in one message. */
    private SandboxProvider localByDefault() {
        Supplier<SandboxProvider> blockrun = () -> {
            throw new UsageException("blockrun: " + Wallet.KEY_VARIABLE + " is not set (or use --wallet-keystore)");
        };
        try {
            return SandboxProviders.firstAvailable(blockrun, this::localProvider);
        } catch (SandboxException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static SandboxProvider limited(SandboxProvider provider, Duration timeout) {
        return timeout == null ? provider : new TimeoutProvider(provider, timeout);
    }

    private SpendLedger ledger() {
        if (ledgerFile == null) {
            return new SpendLedger();
        }
        if (Files.isDirectory(ledgerFile)) {
            throw new UsageException("--ledger " + ledgerFile + " is a directory; give a file (JSON lines are appended to it).");
        }
        try {
            return SpendLedger.appendingTo(ledgerFile);
        } catch (RuntimeException e) {
            throw new UsageException("--ledger " + ledgerFile + ": cannot append to it (" + e.getMessage() + ").");
        }
    }

    Wallet wallet(Environment env) {
        if (walletKeystore != null) {
            String password = env.resolve(null, KEYSTORE_PASSWORD_VARIABLE);
            if (password == null) {
                Console console = System.console();
                if (console == null) {
                    throw new UsageException("--wallet-keystore needs its password: set " + KEYSTORE_PASSWORD_VARIABLE
                            + " (no terminal to ask on).");
                }
                char[] typed = console.readPassword("Password of %s: ", walletKeystore);
                password = typed == null ? "" : new String(typed);
            }
            try {
                return Wallet.fromKeystore(walletKeystore, password);
            } catch (RuntimeException e) {
                throw new UsageException("--wallet-keystore " + walletKeystore + ": " + Secrets.mask(e.getMessage()));
            }
        }
        for (String variable : new String[] {Wallet.KEY_VARIABLE, Wallet.LEGACY_KEY_VARIABLE}) {
            String raw = env.resolve(null, variable);
            if (raw != null && raw.strip().replaceFirst("^0[xX]", "").matches("[0-9a-fA-F]{64}")
                    && new BigInteger(raw.strip().replaceFirst("^0[xX]", ""), 16).compareTo(SECP256K1_ORDER) >= 0) {
                // Accepted by the key parser, but no signature can be made with it: say so before anything is paid.
                throw new UsageException(variable + " is not a valid key: it is not below the secp256k1 curve order." + KEY_HINT);
            }
            if (raw != null) {
                break;
            }
        }
        try {
            return Wallet.fromEnvironmentIfPresent(env.variables()).orElseThrow(() -> new UsageException(
                    "BLOCKRUN_WALLET_KEY is not set; --sandbox blockrun pays from that wallet. Set it, or use"
                            + " --sandbox local (free, on this machine) or --sandbox emulator (a local BlockRun)."));
        } catch (IllegalArgumentException e) {
            String message = Secrets.mask(String.valueOf(e.getMessage()));
            throw new UsageException((message.contains("WALLET_KEY") ? message : "BLOCKRUN_WALLET_KEY is not a usable key: " + message)
                    + (message.contains("64 hex") ? "" : "." + KEY_HINT));
        }
    }
}
