package io.sandbox402.sandbox.blockrun;

import static io.sandbox402.internal.Checks.ensureAtLeast;
import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNegative;
import static io.sandbox402.internal.Checks.ensureNotNull;
import static io.sandbox402.internal.Checks.ensurePositive;

import io.sandbox402.internal.ShutdownHook;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.SpendLedger;
import io.sandbox402.x402.Usdc;
import io.sandbox402.x402.Wallet;
import io.sandbox402.x402.X402Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Sandboxes rented from BlockRun, paid per request in USDC on Base through x402.
 *
 * <p>Requests go through OkHttp with an {@link X402Interceptor}, so every 402 is paid within the
 * {@link PaymentPolicy} and recorded in the {@link SpendLedger}; each {@code ExecResult} carries what
 * its call cost. The provider remembers every sandbox it created and terminates those still running
 * when it is closed and, unless turned off, when the JVM shuts down (Ctrl-C included).
 *
 * <p>BlockRun's limits ({@link SandboxLimits}: 32 segments of 2000 characters and 1 to 60 s per exec;
 * {@link BlockRunTerms}: image, lifetime, size of a create) are checked before anything is paid, and
 * files, programs and long commands are split or run in the background to fit them. Errors become
 * {@link BlockRunException}s that say whether money moved; answers are read up to a size cap and
 * within an overall deadline per call.
 *
 * <pre>{@code
 * try (BlockRunProvider provider = BlockRunProvider.fromEnvironment(); // BLOCKRUN_WALLET_KEY, BLOCKRUN_API_URL
 *
 *      Sandbox sandbox = provider.create(SandboxSpec.defaults())) {
 *     ExecResult result = sandbox.runCode(Language.PYTHON, "print(2 + 2)");
 *     System.out.println(result.stdout() + " cost " + Usdc.format(result.cost()));
 * }
 * }</pre>
 *
 * <p>Thread-safe: one provider serves many threads and sandboxes at once.
 */
public final class BlockRunProvider implements SandboxProvider {
    private static final System.Logger LOG = System.getLogger(BlockRunProvider.class.getName());
    /** The variable {@link #fromEnvironment()} reads BlockRun's API from. */
    public static final String API_URL_VARIABLE = "BLOCKRUN_API_URL";
    /** BlockRun's public API. */
    public static final String DEFAULT_API_URL = "https://blockrun.ai/api";

    private final String apiUrl;
    private final X402Interceptor payments;
    private final BlockRunHttp http;
    private final BlockRunApi api;
    private final BlockRunQuoter quoter;
    private final BlockRunCreation creation;
    private final SandboxLimits limits;
    private final BlockRunTerms terms;
    private final Map<String, BlockRunSandbox> live = new ConcurrentHashMap<>();
    private final ShutdownHook shutdownHook;
    private volatile boolean closed;

    private BlockRunProvider(Builder builder) {
        if (!builder.hasWallet) {
            throw new IllegalStateException("BlockRunProvider needs a wallet: call wallet(..), or build it with"
                    + " BlockRunProvider.fromEnvironment() to pay from BLOCKRUN_WALLET_KEY.");
        }
        this.apiUrl = builder.apiUrl;
        this.payments = builder.payments.build();
        this.http = new BlockRunHttp(builder.client, apiUrl, builder.callTimeout, payments);
        this.api = new BlockRunApi(http.paid(), apiUrl, builder.maxRetries, builder.maxRetryWait, builder.maxResponseBytes,
                builder.callTimeout);
        this.quoter = new BlockRunQuoter(http.unpaid(), api);
        this.limits = builder.limits;
        this.terms = builder.terms;
        this.creation = new BlockRunCreation(api, quoter, limits, terms, builder.allowHourlyCreate, builder.setupCommandTimeout);
        this.shutdownHook = ShutdownHook.registerIf(builder.shutdownHook, "sandbox402-blockrun-shutdown", this::close);
    }

    /**
     * {@return a builder; only the wallet is required} Nothing is read from the environment: see {@link
     * #fromEnvironment()}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A provider configured by the process environment, as {@link Wallet#fromEnvironment()} is: the wallet of
     * {@code BLOCKRUN_WALLET_KEY} (or {@code BASE_CHAIN_WALLET_KEY}), the API of {@value #API_URL_VARIABLE} (else
     * {@value #DEFAULT_API_URL}) and the caps of {@link PaymentPolicy#fromEnvironment()}.
     *
     * @return a new provider; close it to terminate the sandboxes it created
     * @throws IllegalStateException when no wallet key is set
     * @throws IllegalArgumentException when a variable holds something unusable; the message names it
     */
    public static BlockRunProvider fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** {@link #fromEnvironment()} reading {@code environment} instead of the process environment. */
    static BlockRunProvider fromEnvironment(Map<String, String> environment) {
        return builderFromEnvironment(environment).build();
    }

    /**
     * A builder preset as {@link #fromEnvironment()} is, for a caller that sets more (a shared ledger, limits).
     *
     * @return a builder with wallet, payment policy and API URL already set
     * @throws IllegalStateException when no wallet key is set
     * @throws IllegalArgumentException when a variable holds something unusable; the message names it
     */
    public static Builder builderFromEnvironment() {
        return builderFromEnvironment(System.getenv());
    }

    /** {@link #builderFromEnvironment()} reading {@code environment} instead of the process environment. */
    static Builder builderFromEnvironment(Map<String, String> environment) {
        Wallet wallet = Wallet.fromEnvironmentIfPresent(environment).orElseThrow(() -> new IllegalStateException(
                "BlockRunProvider needs a wallet: " + Wallet.KEY_VARIABLE + " is not set. Set it to the paying wallet's"
                        + " private key, or build one with BlockRunProvider.builder().wallet(..)."));
        String apiUrl = environment.get(API_URL_VARIABLE);
        return builder()
                .wallet(wallet)
                .policy(PaymentPolicy.fromEnvironment(environment))
                .apiUrl(apiUrl == null || apiUrl.isBlank() ? DEFAULT_API_URL : apiUrl.strip())
                .quoteCacheFromEnvironment(environment);
    }

    /**
     * Creates a sandbox: one paid call, after the spec was checked against {@link #terms()} and {@link
     * #sandboxLimits()} for free. Where the terms refuse setup commands at create (the public beta), they
     * run right after it as execs (in the background when they take long), each paid; a failing one
     * terminates the sandbox and the exception shows its output.
     *
     * @throws io.sandbox402.sandbox.SandboxLimitException when the spec exceeds a limit (nothing was paid)
     * @throws io.sandbox402.x402.PaymentException when the payment was refused by the policy or rejected
     * @throws BlockRunException when BlockRun answered with an error
     */
    @Override
    public Sandbox create(SandboxSpec spec) {
        ensureNotNull(spec, "spec");
        if (closed) {
            throw new SandboxException("This BlockRunProvider is closed; create a new one.");
        }
        return creation.create(spec, id -> new BlockRunSandbox(id, api, this), sandbox -> live.put(sandbox.id(), sandbox));
    }

    /**
     * What BlockRun asks for {@code operation}, for free: a request without payment answers 402 with the
     * price. Prices shown to people and models come from here, never from constants.
     *
     * @param operation {@code create}, {@code exec}, {@code status} or {@code terminate}
     * @param body a request body; for create, {@code {"gpu":"H100"}} quotes a GPU and {@code {"timeout":3600}} an hourly create
     * @return the price and payment terms BlockRun quoted
     * @throws BlockRunException when BlockRun cannot be reached or answers something other than a 402
     */
    public BlockRunQuote quote(String operation, @Nullable Map<String, Object> body) {
        ensureNotBlank(operation, "operation");
        return quoter.quote(operation, body);
    }

    /**
     * Whether the price of {@code operation} (for create, a default CPU create) is remembered, from this
     * process or the quote cache of an earlier one: then BlockRun answered at this URL within the quote's
     * lifetime, and the next such call is paid with its first request.
     *
     * @param operation {@code create}, {@code exec}, {@code status} or {@code terminate}
     * @return whether a price for it is known without asking BlockRun
     */
    public boolean remembersPrice(String operation) {
        return payments.remembersQuote("POST", api.url(operation), "create".equals(operation) ? "cpu" : "");
    }

    /**
     * BlockRun's exec limits for this provider's sandboxes: {@link SandboxLimits#blockRunPublicBeta()}
     * unless built with others. Setup commands at create follow {@link SandboxLimits#setupCommandsAtCreate()}.
     */
    @Override
    public SandboxLimits sandboxLimits() {
        return limits;
    }

    /** {@return what a create may ask for} Checked before paying. */
    public BlockRunTerms terms() {
        return terms;
    }

    /** A wallet is all it needs; whether BlockRun answers is known only by asking ({@link #quote}). */
    @Override
    public boolean isAvailable() {
        return !closed;
    }

    /** {@return what this provider is, where it pays from and within which caps} It never shows the key. */
    @Override
    public String description() {
        PaymentPolicy policy = payments.policy();
        return "blockrun: " + apiUrl + ", paying from " + payments.payer() + " (at most " + Usdc.format(policy.maxCostPerCall())
                + " a call, " + Usdc.format(policy.maxSessionCost()) + " a session)";
    }

    /** {@return the URL of BlockRun's API this provider calls} */
    public String apiUrl() {
        return apiUrl;
    }

    /** {@return the ledger of every payment this provider made} */
    public SpendLedger ledger() {
        return payments.ledger();
    }

    /** {@return how many sandboxes this provider created and has not terminated} */
    public int runningSandboxes() {
        return live.size();
    }

    /**
     * Terminates every sandbox still running (each a paid call), then refuses new ones, and releases the
     * connections and threads of the HTTP client it made. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        for (BlockRunSandbox sandbox : List.copyOf(live.values())) {
            try {
                sandbox.terminate();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not terminate BlockRun sandbox {0}: {1}. It ends by itself"
                        + " when its timeout passes.", sandbox.id(), e.getMessage());
            }
        }
        ShutdownHook.remove(shutdownHook);
        http.close();
    }

    /** Connections held open (busy or idle) by this provider's own pool: zero after {@link #close()}. */
    int openConnections() {
        return http.openConnections();
    }

    void forget(BlockRunSandbox sandbox) {
        live.remove(sandbox.id());
    }

    @Override
    public String toString() {
        return "BlockRunProvider{" + apiUrl + ", payer=" + payments.payer() + ", running=" + live.size() + "}";
    }

    /**
     * Options of a {@link BlockRunProvider}. The payment settings (wallet, policy, ledger, pre-payment) are
     * an {@link X402Interceptor.Builder}'s, so they mean and check the same as there. Not thread-safe: build on one thread.
     */
    public static final class Builder {
        // Quotes outlive the process: a later process pays each call with its first request.
        private final X402Interceptor.Builder payments = X402Interceptor.builder().persistentQuotes(true);
        private boolean hasWallet;
        private String apiUrl = DEFAULT_API_URL;
        private @Nullable OkHttpClient client;
        private boolean shutdownHook = true;
        private int maxRetries = 3;
        private Duration maxRetryWait = Duration.ofSeconds(30);
        private long maxResponseBytes = 16L * 1024 * 1024;
        private @Nullable Duration callTimeout;
        private SandboxLimits limits = SandboxLimits.blockRunPublicBeta();
        private BlockRunTerms terms = BlockRunTerms.publicBeta();
        private boolean allowHourlyCreate;
        private Duration setupCommandTimeout = Sandbox.INSTALL_TIMEOUT;

        private Builder() {}

        /**
         * The largest answer read. Default 16 MiB: far above any exec's output on BlockRun, far below a heap; a
         * larger answer fails with a message instead of filling memory.
         *
         * @param maxResponseBytes bytes, at least 1024
         * @return this builder
         */
        public Builder maxResponseBytes(long maxResponseBytes) {
            this.maxResponseBytes = ensureAtLeast(maxResponseBytes, 1024, "maxResponseBytes");
            return this;
        }

        /**
         * Every call's overall deadline, both x402 round trips included. Default: what the call waits for
         * (120 s for a create, an exec's timeout, 30 s otherwise) plus 30 s, so that a server sending its
         * answer one byte at a time cannot hold a caller forever.
         *
         * @param callTimeout positive
         * @return this builder
         */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = ensurePositive(callTimeout, "callTimeout");
            return this;
        }

        /**
         * Exec limits of the deployment. Default {@link SandboxLimits#blockRunPublicBeta()}: 32 × 2000 characters, 1 to 60 s.
         *
         * @param limits the limits BlockRun enforces on each exec
         * @return this builder
         */
        public Builder limits(SandboxLimits limits) {
            this.limits = ensureNotNull(limits, "limits");
            return this;
        }

        /**
         * What a create may ask for. Default {@link BlockRunTerms#publicBeta()}.
         *
         * @param terms the images, lifetimes and sizes the deployment accepts
         * @return this builder
         */
        public Builder terms(BlockRunTerms terms) {
            this.terms = ensureNotNull(terms, "terms");
            return this;
        }

        /**
         * Whether a create whose lifetime is billed by the hour (above 300 s on the public beta, upfront, no
         * refund) may be paid. Default off: such a create fails before paying, with the quoted price.
         *
         * @param allowHourlyCreate {@code true} to let such a create be paid
         * @return this builder
         */
        public Builder allowHourlyCreate(boolean allowHourlyCreate) {
            this.allowHourlyCreate = allowHourlyCreate;
            return this;
        }

        /**
         * How long each setup command may run when it runs as execs after the create. Default 300 s.
         *
         * @param setupCommandTimeout positive; longer than an exec allows runs in the background
         * @return this builder
         */
        public Builder setupCommandTimeout(Duration setupCommandTimeout) {
            this.setupCommandTimeout = ensurePositive(setupCommandTimeout, "setupCommandTimeout");
            return this;
        }

        /**
         * BlockRun's API. Default {@value #DEFAULT_API_URL}; {@link #fromEnvironment()} reads {@value #API_URL_VARIABLE}.
         *
         * @param apiUrl the API's base URL, not blank
         * @return this builder
         */
        public Builder apiUrl(String apiUrl) {
            this.apiUrl = ensureNotBlank(apiUrl, "apiUrl");
            return this;
        }

        /**
         * The paying wallet. Required.
         *
         * @param wallet the wallet that signs every payment
         * @return this builder
         */
        public Builder wallet(Wallet wallet) {
            payments.wallet(wallet);
            hasWallet = true;
            return this;
        }

        /**
         * What may be paid. Default {@link PaymentPolicy#defaults()}.
         *
         * @param policy the caps per call and per session
         * @return this builder
         */
        public Builder policy(PaymentPolicy policy) {
            payments.policy(policy);
            return this;
        }

        /**
         * Where payments are recorded. Default a new in-memory ledger.
         *
         * @param ledger a ledger, possibly shared with other providers to cap their spending together
         * @return this builder
         */
        public Builder ledger(SpendLedger ledger) {
            payments.ledger(ledger);
            return this;
        }

        /**
         * An OkHttp client to share connection pool and dispatcher with.
         *
         * @param client a client whose pool and dispatcher stay the caller's to close
         * @return this builder
         */
        public Builder client(OkHttpClient client) {
            this.client = ensureNotNull(client, "client");
            return this;
        }

        /**
         * Whether to pay with the first request once a price is known (one round trip instead of two). Default on.
         *
         * @param prepayment {@code false} to always ask for the price first
         * @return this builder
         */
        public Builder prepayment(boolean prepayment) {
            payments.prepayment(prepayment);
            return this;
        }

        /**
         * Whether quotes outlive the process, so that a later process pays each call with its first request.
         * Default on, in {@code ~/.cache/sandbox402} (see {@link X402Interceptor.Builder#persistentQuotes}).
         *
         * @param persistentQuotes whether to keep quotes across processes
         * @return this builder
         */
        public Builder persistentQuotes(boolean persistentQuotes) {
            payments.persistentQuotes(persistentQuotes);
            return this;
        }

        /**
         * Keeps quotes across processes where {@code environment} says ({@code SANDBOX402_QUOTE_CACHE}: a
         * directory or {@code off}; else {@code $XDG_CACHE_HOME/sandbox402}); {@link #builderFromEnvironment()}
         * does this.
         *
         * @param environment the variables, usually {@link System#getenv()}
         * @return this builder
         */
        public Builder quoteCacheFromEnvironment(Map<String, String> environment) {
            payments.quoteCacheFromEnvironment(environment);
            return this;
        }

        /**
         * Whether a JVM shutdown hook terminates sandboxes left running. Default on.
         *
         * @param shutdownHook {@code false} when the caller terminates its sandboxes itself
         * @return this builder
         */
        public Builder shutdownHook(boolean shutdownHook) {
            this.shutdownHook = shutdownHook;
            return this;
        }

        /**
         * How often a rate-limited status or terminate is retried. Default 3.
         *
         * @param maxRetries retries after the first attempt, at least 0
         * @return this builder
         */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = ensureNotNegative(maxRetries, "maxRetries");
            return this;
        }

        /**
         * The longest wait before a retry, whatever {@code Retry-After} says. Default 30 s.
         *
         * @param maxRetryWait not negative
         * @return this builder
         */
        public Builder maxRetryWait(Duration maxRetryWait) {
            this.maxRetryWait = ensureNotNegative(maxRetryWait, "maxRetryWait");
            return this;
        }

        /**
         * Builds the provider.
         *
         * @return a new provider; close it to terminate the sandboxes it created
         * @throws IllegalStateException when no wallet was set
         */
        public BlockRunProvider build() {
            return new BlockRunProvider(this);
        }
    }
}
