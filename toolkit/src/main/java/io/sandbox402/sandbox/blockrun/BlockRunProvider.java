package io.sandbox402.sandbox.blockrun;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.internal.ShutdownHook;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxLimitException;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.PaymentRequired;
import io.sandbox402.x402.PaymentRequirements;
import io.sandbox402.x402.PaymentTag;
import io.sandbox402.x402.SpendLedger;
import io.sandbox402.x402.Wallet;
import io.sandbox402.x402.X402Codec;
import io.sandbox402.x402.X402Interceptor;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

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
 * try (BlockRunProvider provider = BlockRunProvider.builder()
 *         .wallet(Wallet.fromEnvironment())                 // BLOCKRUN_WALLET_KEY
 *         .policy(PaymentPolicy.fromEnvironment())
 *         .build();
 *      Sandbox sandbox = provider.create(SandboxSpec.defaults())) {
 *     ExecResult result = sandbox.runCode(Language.PYTHON, "print(2 + 2)");
 *     System.out.println(result.stdout() + " cost $" + result.cost());
 * }
 * }</pre>
 */
public final class BlockRunProvider implements SandboxProvider {
    private static final System.Logger LOG = System.getLogger(BlockRunProvider.class.getName());
    public static final String API_URL_VARIABLE = "BLOCKRUN_API_URL";
    public static final String DEFAULT_API_URL = "https://blockrun.ai/api";

    private final String apiUrl;
    private final X402Interceptor payments;
    private final OkHttpClient unpaidClient;
    private final BlockRunApi api;
    private final Map<String, BlockRunSandbox> live = new ConcurrentHashMap<>();
    private final ShutdownHook shutdownHook;
    private final SandboxLimits limits;
    private final BlockRunTerms terms;
    private final boolean allowHourlyCreate;
    private final Duration setupCommandTimeout;
    /** The dispatcher and pool this provider made, closed with it; {@code null} when they are a caller's. */
    private final Dispatcher ownDispatcher;
    private final ConnectionPool ownPool;
    private volatile boolean closed;

    private BlockRunProvider(Builder builder) {
        this.apiUrl = builder.apiUrl != null ? builder.apiUrl
                : System.getenv().getOrDefault(API_URL_VARIABLE, DEFAULT_API_URL);
        if (builder.wallet == null) {
            throw new IllegalStateException("Wallet required: set BLOCKRUN_WALLET_KEY or call wallet(..).");
        }
        this.payments = X402Interceptor.builder()
                .wallet(builder.wallet)
                .policy(builder.policy == null ? PaymentPolicy.defaults() : builder.policy)
                .ledger(builder.ledger == null ? new SpendLedger() : builder.ledger)
                .prepayment(builder.prepayment)
                .build();
        // OkHttp's default of 5 requests per host would serialize an evaluation harness's sandboxes.
        boolean own = builder.client == null;
        this.ownDispatcher = own ? new Dispatcher() : null;
        this.ownPool = own ? new ConnectionPool(64, 5, TimeUnit.MINUTES) : null;
        if (own) {
            ownDispatcher.setMaxRequests(256);
            ownDispatcher.setMaxRequestsPerHost(256);
        }
        OkHttpClient.Builder base = own ? new OkHttpClient.Builder() : builder.client.newBuilder();
        if (own && apiUrl.regionMatches(true, 0, "http://", 0, 7)) {
            base.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)); // no TLS to set up (0.1 s) for an emulator
        }
        this.unpaidClient = base
                .dispatcher(own ? ownDispatcher : builder.client.dispatcher())
                .connectionPool(own ? ownPool : builder.client.connectionPool())
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .callTimeout(builder.callTimeout == null ? Duration.ofSeconds(60) : builder.callTimeout)
                // A paid call resent after a dropped connection could run its command twice: fail instead.
                .retryOnConnectionFailure(false)
                .build();
        OkHttpClient client = unpaidClient.newBuilder().addInterceptor(payments).addInterceptor(new RejectionCapture()).build();
        this.api = new BlockRunApi(client, apiUrl, builder.maxRetries, builder.maxRetryWait, builder.maxResponseBytes,
                builder.callTimeout);
        this.limits = builder.limits == null ? SandboxLimits.blockRunPublicBeta() : builder.limits;
        this.terms = builder.terms == null ? BlockRunTerms.publicBeta() : builder.terms;
        this.allowHourlyCreate = builder.allowHourlyCreate;
        this.setupCommandTimeout = builder.setupCommandTimeout;
        this.shutdownHook = ShutdownHook.registerIf(builder.shutdownHook, "sandbox402-blockrun-shutdown", this::close);
    }

    public static Builder builder() {
        return new Builder();
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
        terms.check(spec);
        for (String command : spec.setupCommands()) {
            if (command.length() > limits.maxSegmentChars()) {
                throw new SandboxLimitException("A setup command has " + command.length() + " characters, above BlockRun's"
                        + " limit of " + limits.maxSegmentChars() + " per command segment; nothing was sent or paid."
                        + " Split it, or write a script with Sandbox.writeFile and run that.");
            }
        }
        ObjectNode body = createBody(spec, limits.setupCommandsAtCreate());
        if (terms.hourly(spec.timeout()) && !allowHourlyCreate) {
            String price;
            try {
                BlockRunQuote quote = quote("create", BlockRunApi.JSON.convertValue(body, Map.class));
                price = "BlockRun quotes " + quote.price() + " for it";
            } catch (RuntimeException e) {
                price = "its price could not be quoted (" + e.getMessage() + ")";
            }
            throw new SandboxLimitException("A lifetime of " + spec.timeout().toSeconds() + " s is above "
                    + terms.flatLifetime().toSeconds() + " s, so BlockRun bills the create by the hour, upfront for the whole"
                    + " lifetime and without refund on an early terminate: " + price + ". Nothing was paid. Ask for at most "
                    + terms.flatLifetime().toSeconds() + " s, or allow it with BlockRunProvider.builder().allowHourlyCreate(true).");
        }
        PaymentTag tag = PaymentTag.priceKey((spec.gpu() == null ? "cpu" : "gpu=" + spec.gpu().wireName())
                + (terms.hourly(spec.timeout()) ? ",t=" + spec.timeout().toSeconds() : ""));
        // Setup commands at create run inside it: give them the sandbox's lifetime to finish. BlockRun waits 120 s for a create.
        boolean setupAtCreate = limits.setupCommandsAtCreate() && !spec.setupCommands().isEmpty();
        Duration wait = !setupAtCreate ? Duration.ofSeconds(120)
                : (spec.timeout() == null ? Duration.ofSeconds(300) : spec.timeout()).plus(Duration.ofSeconds(60));
        JsonNode response = api.call("create", body, tag, wait, false);
        JsonNode id = BlockRunSandbox.firstPresent(response, "sandbox_id", "id", "sandboxId");
        if (id == null || id.asText().isBlank()) {
            throw new BlockRunException(200, "BlockRun created a sandbox but its answer names no sandbox_id: "
                    + BlockRunApi.abbreviate(response.toString()) + ". It may be running: check your BlockRun usage.");
        }
        BlockRunSandbox sandbox = new BlockRunSandbox(id.asText(), api, this);
        live.put(sandbox.id(), sandbox);
        if (!limits.setupCommandsAtCreate()) {
            runSetup(sandbox, spec.setupCommands(), tag.cost());
        }
        return sandbox;
    }

    private ObjectNode createBody(SandboxSpec spec, boolean withSetup) {
        ObjectNode body = BlockRunApi.JSON.createObjectNode();
        if (spec.image() != null) {
            body.put("image", spec.image());
        }
        if (spec.timeout() != null) {
            body.put("timeout", spec.timeout().toSeconds());
        }
        if (spec.cpu() != null) {
            body.put("cpu", spec.cpu());
        }
        if (spec.memoryMb() != null) {
            body.put("memory", spec.memoryMb());
        }
        if (spec.gpu() != null) {
            body.put("gpu", spec.gpu().wireName());
        }
        if (withSetup && !spec.setupCommands().isEmpty()) {
            spec.setupCommands().forEach(body.putArray("setup_commands")::add);
        }
        spec.extra().forEach((name, value) -> body.set(name, BlockRunApi.JSON.valueToTree(value)));
        return body;
    }

    /** Runs setup commands as execs, in order; the first failure terminates the sandbox. */
    private void runSetup(BlockRunSandbox sandbox, List<String> commands, BigDecimal createCost) {
        BigDecimal cost = createCost;
        for (int i = 0; i < commands.size(); i++) {
            ExecResult result;
            try {
                result = sandbox.run(ExecRequest.shell(commands.get(i)).withTimeout(setupCommandTimeout));
            } catch (RuntimeException e) {
                terminateQuietly(sandbox);
                throw new SandboxException("Setup command " + (i + 1) + " of " + commands.size() + " (" + commands.get(i)
                        + ") could not run in sandbox " + sandbox.id() + ": " + e.getMessage() + " The sandbox was terminated.", e);
            }
            cost = cost.add(result.cost());
            if (!result.succeeded()) {
                terminateQuietly(sandbox);
                throw new SandboxException("Setup command " + (i + 1) + " of " + commands.size() + " (" + commands.get(i)
                        + ") failed in sandbox " + sandbox.id() + " (exit code " + result.exitCode()
                        + (result.timedOut() ? ", timed out after " + setupCommandTimeout.toSeconds() + " s" : "")
                        + "); the sandbox was terminated. Paid so far for this sandbox: $" + cost.toPlainString()
                        + ".\nstdout:\n" + tail(result.stdout()) + "\nstderr:\n" + tail(result.stderr()));
            }
        }
    }

    private static void terminateQuietly(BlockRunSandbox sandbox) {
        try {
            sandbox.terminate();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not terminate BlockRun sandbox {0} after its setup failed: {1}. It"
                    + " ends by itself when its timeout passes.", sandbox.id(), e.getMessage());
        }
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 1997);
    }

    /**
     * What BlockRun asks for {@code operation}, for free: a request without payment answers 402 with the
     * price. Prices shown to people and models come from here, never from constants.
     *
     * @param body a request body; for create, {@code {"gpu":"H100"}} quotes a GPU and {@code {"timeout":3600}} an hourly create
     * @throws BlockRunException when BlockRun cannot be reached or answers something other than a 402
     */
    public BlockRunQuote quote(String operation, Map<String, Object> body) {
        ensureNotBlank(operation, "operation");
        Request request = new Request.Builder()
                .url(api.url(operation))
                .post(RequestBody.create(BlockRunApi.JSON.valueToTree(body == null ? Map.of() : body).toString(),
                        MediaType.get("application/json")))
                .build();
        try (Response response = unpaidClient.newCall(request).execute()) {
            // A 402 is a small document: read at most 64 KiB of it.
            okio.BufferedSource source = response.body().source();
            source.request(64 * 1024);
            byte[] bytes = source.getBuffer().readByteArray(Math.min(64 * 1024, source.getBuffer().size()));
            if (response.code() != 402) {
                throw new BlockRunException(response.code(), "Expected a 402 quote from " + api.url(operation) + " but got "
                        + response.code() + ": " + BlockRunApi.abbreviate(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
            }
            String header = response.header(X402Codec.PAYMENT_REQUIRED);
            PaymentRequired required = X402Codec.parsePaymentRequired(
                    header == null ? response.header(X402Codec.X_PAYMENT_REQUIRED) : header, bytes);
            PaymentRequirements offer = required.accepts().stream().min(java.util.Comparator.comparing(PaymentRequirements::amount))
                    .orElseThrow(() -> new BlockRunException(402, "BlockRun's quote for " + operation + " offers no way to pay."));
            String model = null;
            BigDecimal hourly = null;
            try {
                JsonNode quoted = BlockRunApi.JSON.readTree(bytes);
                JsonNode price = quoted == null ? null : quoted.path("price");
                if (price != null && price.hasNonNull("model")) {
                    model = price.get("model").asText();
                }
                JsonNode rate = quoted == null ? null : quoted.has("hourly_rate_usd") ? quoted.get("hourly_rate_usd")
                        : price == null ? null : price.get("hourly_rate_usd");
                if (rate != null && !rate.isNull()) {
                    hourly = new BigDecimal(rate.asText());
                }
            } catch (IOException | RuntimeException e) {
                // the human quote is optional; the requirements hold the price
            }
            return new BlockRunQuote(operation, new BigDecimal(offer.amount(), 6), offer.amount(), offer.network(), model, hourly);
        } catch (IOException e) {
            throw new BlockRunException(0, "Cannot reach BlockRun at " + api.url(operation) + ": " + e.getMessage()
                    + ". Check BLOCKRUN_API_URL and the network.", e);
        }
    }

    /**
     * BlockRun's exec limits for this provider's sandboxes: {@link SandboxLimits#blockRunPublicBeta()}
     * unless built with others. Setup commands at create follow {@link SandboxLimits#setupCommandsAtCreate()}.
     */
    @Override
    public SandboxLimits sandboxLimits() {
        return limits;
    }

    /** What a create may ask for, checked before paying. */
    public BlockRunTerms terms() {
        return terms;
    }

    /** A wallet is all it needs; whether BlockRun answers is known only by asking ({@link #quote}). */
    @Override
    public boolean isAvailable() {
        return !closed;
    }

    @Override
    public String description() {
        PaymentPolicy policy = payments.policy();
        return "blockrun: " + apiUrl + ", paying from " + payments.payer() + " (at most $" + policy.maxCostPerCall()
                + " a call, $" + policy.maxSessionCost() + " a session)";
    }

    public String apiUrl() {
        return apiUrl;
    }

    /** Every payment this provider made. */
    public SpendLedger ledger() {
        return payments.ledger();
    }

    /** How many sandboxes this provider created and has not terminated. */
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
        if (ownDispatcher != null) {
            // Idle keep-alive connections and the dispatcher's threads would otherwise outlive the provider
            // by up to five minutes and a minute; a caller's client (builder.client) is the caller's to close.
            ownDispatcher.executorService().shutdown();
            ownPool.evictAll();
        }
    }

    /** Connections held open (busy or idle) by this provider's own pool: zero after {@link #close()}. */
    int openConnections() {
        return ownPool == null ? -1 : ownPool.connectionCount();
    }

    void forget(BlockRunSandbox sandbox) {
        live.remove(sandbox.id());
    }

    @Override
    public String toString() {
        return "BlockRunProvider{" + apiUrl + ", payer=" + payments.payer() + ", running=" + live.size() + "}";
    }

    public static final class Builder {
        private String apiUrl;
        private Wallet wallet;
        private PaymentPolicy policy;
        private SpendLedger ledger;
        private OkHttpClient client;
        private boolean prepayment = true;
        private boolean shutdownHook = true;
        private int maxRetries = 3;
        private Duration maxRetryWait = Duration.ofSeconds(30);
        private long maxResponseBytes = 16L * 1024 * 1024;
        private Duration callTimeout;
        private SandboxLimits limits;
        private BlockRunTerms terms;
        private boolean allowHourlyCreate;
        private Duration setupCommandTimeout = Sandbox.INSTALL_TIMEOUT;

        private Builder() {}

        /**
         * The largest answer read. Default 16 MiB: far above any exec's output on BlockRun, far below a heap; a
         * larger answer fails with a message instead of filling memory.
         */
        public Builder maxResponseBytes(long maxResponseBytes) {
            if (maxResponseBytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024, was " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * Every call's overall deadline, both x402 round trips included. Default: what the call waits for
         * (120 s for a create, an exec's timeout, 30 s otherwise) plus 30 s, so that a server sending its
         * answer one byte at a time cannot hold a caller forever.
         */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = ensureNotNull(callTimeout, "callTimeout");
            return this;
        }

        /** Exec limits of the deployment. Default {@link SandboxLimits#blockRunPublicBeta()}: 32 × 2000 characters, 1 to 60 s. */
        public Builder limits(SandboxLimits limits) {
            this.limits = ensureNotNull(limits, "limits");
            return this;
        }

        /** What a create may ask for. Default {@link BlockRunTerms#publicBeta()}. */
        public Builder terms(BlockRunTerms terms) {
            this.terms = ensureNotNull(terms, "terms");
            return this;
        }

        /**
         * Whether a create whose lifetime is billed by the hour (above 300 s on the public beta, upfront, no
         * refund) may be paid. Default off: such a create fails before paying, with the quoted price.
         */
        public Builder allowHourlyCreate(boolean allowHourlyCreate) {
            this.allowHourlyCreate = allowHourlyCreate;
            return this;
        }

        /** How long each setup command may run when it runs as execs after the create. Default 300 s. */
        public Builder setupCommandTimeout(Duration setupCommandTimeout) {
            this.setupCommandTimeout = ensureNotNull(setupCommandTimeout, "setupCommandTimeout");
            return this;
        }

        /** BlockRun's API. Default {@code BLOCKRUN_API_URL}, else {@value #DEFAULT_API_URL}. */
        public Builder apiUrl(String apiUrl) {
            this.apiUrl = ensureNotBlank(apiUrl, "apiUrl");
            return this;
        }

        /** The paying wallet. Required. */
        public Builder wallet(Wallet wallet) {
            this.wallet = ensureNotNull(wallet, "wallet");
            return this;
        }

        /** What may be paid. Default {@link PaymentPolicy#defaults()}. */
        public Builder policy(PaymentPolicy policy) {
            this.policy = ensureNotNull(policy, "policy");
            return this;
        }

        /** Where payments are recorded. Default a new in-memory ledger. */
        public Builder ledger(SpendLedger ledger) {
            this.ledger = ensureNotNull(ledger, "ledger");
            return this;
        }

        /** An OkHttp client to share connection pool and dispatcher with. */
        public Builder client(OkHttpClient client) {
            this.client = ensureNotNull(client, "client");
            return this;
        }

        /** Whether to pay with the first request once a price is known (one round trip instead of two). Default on. */
        public Builder prepayment(boolean prepayment) {
            this.prepayment = prepayment;
            return this;
        }

        /** Whether a JVM shutdown hook terminates sandboxes left running. Default on. */
        public Builder shutdownHook(boolean shutdownHook) {
            this.shutdownHook = shutdownHook;
            return this;
        }

        /** How often a rate-limited status or terminate is retried. Default 3. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries cannot be negative, was " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** The longest wait before a retry, whatever {@code Retry-After} says. Default 30 s. */
        public Builder maxRetryWait(Duration maxRetryWait) {
            this.maxRetryWait = ensureNotNull(maxRetryWait, "maxRetryWait");
            return this;
        }

        public BlockRunProvider build() {
            return new BlockRunProvider(this);
        }
    }
}
