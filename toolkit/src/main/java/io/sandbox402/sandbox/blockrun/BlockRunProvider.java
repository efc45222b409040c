package io.sandbox402.sandbox.blockrun;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.internal.ShutdownHook;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.PaymentRequired;
import io.sandbox402.x402.PaymentTag;
import io.sandbox402.x402.SpendLedger;
import io.sandbox402.x402.Wallet;
import io.sandbox402.x402.X402Codec;
import io.sandbox402.x402.X402Interceptor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
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
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(256);
        OkHttpClient base = builder.client == null ? new OkHttpClient() : builder.client;
        this.unpaidClient = base.newBuilder()
                .dispatcher(builder.client == null ? dispatcher : base.dispatcher())
                .connectionPool(builder.client == null ? new ConnectionPool(64, 5, TimeUnit.MINUTES) : base.connectionPool())
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                // A paid call resent after a dropped connection could run its command twice: fail instead.
                .retryOnConnectionFailure(false)
                .build();
        OkHttpClient client = unpaidClient.newBuilder().addInterceptor(payments).build();
        this.api = new BlockRunApi(client, apiUrl, builder.maxRetries, builder.maxRetryWait);
        this.shutdownHook = ShutdownHook.registerIf(builder.shutdownHook, "sandbox402-blockrun-shutdown", this::close);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a sandbox (one paid call; a GPU costs more, so raise the per-call cap for one).
     *
     * @throws io.sandbox402.x402.PaymentException when the payment was refused by the policy or rejected
     * @throws BlockRunException when BlockRun answered with an error
     */
    @Override
    public Sandbox create(SandboxSpec spec) {
        ensureNotNull(spec, "spec");
        if (closed) {
            throw new SandboxException("This BlockRunProvider is closed; create a new one.");
        }
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
        if (!spec.setupCommands().isEmpty()) {
            spec.setupCommands().forEach(body.putArray("setup_commands")::add);
        }
        spec.extra().forEach((name, value) -> body.set(name, BlockRunApi.JSON.valueToTree(value)));
        PaymentTag tag = PaymentTag.priceKey(spec.gpu() == null ? "cpu" : "gpu=" + spec.gpu().wireName());
        // Setup commands run inside create: give them the sandbox's lifetime to finish.
        Duration wait = spec.setupCommands().isEmpty() ? Duration.ofSeconds(120)
                : (spec.timeout() == null ? Duration.ofSeconds(300) : spec.timeout()).plus(Duration.ofSeconds(60));
        JsonNode response = api.call("create", body, tag, wait, false);
        JsonNode id = BlockRunSandbox.firstPresent(response, "sandbox_id", "id", "sandboxId");
        if (id == null || id.asText().isBlank()) {
            throw new BlockRunException(200, "BlockRun created a sandbox but its answer names no sandbox_id: "
                    + BlockRunApi.abbreviate(response.toString()) + ". It may be running: check your BlockRun usage.");
        }
        BlockRunSandbox sandbox = new BlockRunSandbox(id.asText(), api, this);
        live.put(sandbox.id(), sandbox);
        return sandbox;
    }

    /**
     * The price BlockRun quotes for {@code operation} (free: a request without payment returns the price).
     *
     * @param body a request body; for create, {@code {"gpu":"H100"}} quotes a GPU
     */
    public PaymentRequired quote(String operation, Map<String, Object> body) {
        ensureNotBlank(operation, "operation");
        Request request = new Request.Builder()
                .url(api.url(operation))
                .post(RequestBody.create(BlockRunApi.JSON.valueToTree(body == null ? Map.of() : body).toString(),
                        MediaType.get("application/json")))
                .build();
        try (Response response = unpaidClient.newCall(request).execute()) {
            byte[] bytes = response.body().bytes();
            if (response.code() != 402) {
                throw new BlockRunException(response.code(), "Expected a 402 quote from " + api.url(operation) + " but got "
                        + response.code() + ": " + BlockRunApi.abbreviate(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
            }
            String header = response.header(X402Codec.PAYMENT_REQUIRED);
            return X402Codec.parsePaymentRequired(header == null ? response.header(X402Codec.X_PAYMENT_REQUIRED) : header, bytes);
        } catch (IOException e) {
            throw new BlockRunException(0, "Cannot reach BlockRun at " + api.url(operation) + ": " + e.getMessage()
                    + ". Check BLOCKRUN_API_URL and the network.", e);
        }
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

    /** Terminates every sandbox still running (each a paid call), then refuses new ones. Idempotent. */
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

        private Builder() {}

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
