package io.sandbox402.emulator;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

import com.sun.net.httpserver.HttpServer;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.Network;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local BlockRun: the four sandbox endpoints and x402 exactly as BlockRun speaks them, with real
 * payment verification (EIP-712 recovery, validity window, replay) and a simulated USDC ledger, on
 * the JDK's HTTP server. Sandboxes run on a {@link SandboxProvider}, the local bubblewrap one by
 * default. Tests, samples and other clients get the whole paid flow at no cost.
 *
 * <pre>{@code
 * try (BlockRunEmulator emulator = BlockRunEmulator.builder().build().start()) {
 *     BlockRunProvider provider = BlockRunProvider.builder()
 *             .apiUrl(emulator.baseUrl())
 *             .wallet(Wallet.random())
 *             .build();
 *     ...
 *     assertThat(emulator.runningSandboxes()).isZero();
 * }
 * }</pre>
 *
 * <p>It plays a {@link BlockRunProfile}: {@link BlockRunProfile#publicBeta()} by default, or
 * {@link BlockRunProfile#seedTerms()}. Each request is validated first (BlockRun's 400 shape), then
 * priced; without a payment it is answered 402 with {@code PAYMENT-REQUIRED} (or version 1's body); with
 * one, the payment is verified and claimed (its nonce and value held, atomically, so one payment runs
 * one call), the call runs with its answer held back, and the payment settles only when the call
 * succeeded, the answer then carrying {@code PAYMENT-RESPONSE} and {@code X-Payment-Receipt}; a failed
 * call releases it. Sandboxes end by themselves at their {@code timeout}.
 *
 * <p>It remembers the last {@link Builder#logLimit 10,000} requests and payments ({@link #requests()},
 * {@link #payments()}) and counts all of them exactly ({@link #requestCount()}, {@link #paymentCount()}).
 */
public final class BlockRunEmulator implements AutoCloseable {
    /**
     * The wallet key to pay an emulator with: Hardhat's and Anvil's account #0 (mnemonic "test test ...
     * junk"), a public development key that everyone knows. Never a real key: anything sent to its
     * address ({@code 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266}) on a real chain is taken at once.
     */
    public static final String DEVELOPMENT_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private static final System.Logger LOG = System.getLogger(BlockRunEmulator.class.getName());
    /** An address nobody holds a key to, as the default payee. */
    public static final String DEFAULT_PAY_TO = "0x000000000000000000000000000000000000b10c";

    private final String host;
    private final int requestedPort;
    private final BlockRunProfile profile;
    private final RequestLog log;
    private final Balances balances;
    private final SandboxApi api;
    private final SandboxProvider provider;
    private final boolean ownsProvider;
    private final PaidApiHandler handler;
    private HttpServer server;
    private ExecutorService executor;

    private BlockRunEmulator(Builder builder) {
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.profile = builder.profile;
        this.log = new RequestLog(builder.logLimit);
        this.balances = new Balances(BlockRunProfile.usd(builder.defaultBalance));
        Clock clock = builder.clock == null ? Clock.systemUTC() : builder.clock;
        PaymentGate gate = new PaymentGate(builder.network, builder.payTo, builder.x402Version, balances, clock);
        this.ownsProvider = builder.provider == null;
        this.provider = ownsProvider ? LocalProvider.create() : builder.provider;
        this.api = new SandboxApi(provider, clock, profile);
        this.handler = new PaidApiHandler(profile, gate, api, log);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening; returns this. Idempotent. */
    public synchronized BlockRunEmulator start() {
        if (server != null) {
            return this;
        }
        // Without TCP_NODELAY the JDK server's split writes meet the client's delayed ACK: about 40 ms a
        // request on loopback (measured with PrepaymentLoad: 90 paid calls/s without, 460 with).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            server = HttpServer.create(new InetSocketAddress(host, requestedPort), 128);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "blockrun-emulator-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        LOG.log(System.Logger.Level.DEBUG, "BlockRun emulator listening on {0}", baseUrl());
        return this;
    }

    /** Stops listening and terminates every sandbox it created. Idempotent. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        server = null;
        api.terminateAll();
        if (ownsProvider) {
            provider.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The API's base URL, for {@code BLOCKRUN_API_URL}: {@code http://127.0.0.1:PORT/api}. */
    public synchronized String baseUrl() {
        if (server == null) {
            throw new IllegalStateException("The emulator is not started; call start() first.");
        }
        return "http://" + host + ":" + server.getAddress().getPort() + "/api";
    }

    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** Sets {@code address}'s simulated USDC balance. */
    public void fund(String address, BigDecimal usd) {
        balances.set(ensureNotBlank(address, "address"), BlockRunProfile.usd(usd));
    }

    /** {@code address}'s simulated USDC balance in US dollars. */
    public BigDecimal balanceOf(String address) {
        return new BigDecimal(balances.of(address), 6);
    }

    /** The terms it plays: limits, prices, strictness. */
    public BlockRunProfile profile() {
        return profile;
    }

    /**
     * Pauses the Modal integration: while paused every sandbox call is answered 503 (nothing charged), as
     * BlockRun does when the integration is not configured or paused. {@code pause(false)} resumes.
     */
    public void pause(boolean paused) {
        handler.paused = paused;
    }

    /** Plays {@code fault} on the next request for {@code operation} ({@code "*"} for any); payment faults wait for a paid request. */
    public void inject(String operation, Fault fault) {
        handler.inject(ensureNotBlank(operation, "operation"), ensureNotNull(fault, "fault"));
    }

    /** The last requests answered, oldest first, at most {@link Builder#logLimit}. */
    public List<EmulatorRequest> requests() {
        return log.requests();
    }

    /** The last payments received, oldest first, at most {@link Builder#logLimit}. */
    public List<EmulatorPayment> payments() {
        return log.payments();
    }

    /** How many requests it answered since start, exactly (not bounded by the log). */
    public long requestCount() {
        return log.requestCount();
    }

    /** How many payments it received since start, exactly. */
    public long paymentCount() {
        return log.paymentCount();
    }

    /** How many payments settled since start, exactly. */
    public long settledPaymentCount() {
        return log.settledCount();
    }

    /** How many sandboxes it created are still running: zero after a client that leaks nothing. */
    public int runningSandboxes() {
        return api.running();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private BlockRunProfile profile = BlockRunProfile.publicBeta();
        private BigDecimal defaultBalance = new BigDecimal("1000");
        private int logLimit = 10_000;
        private Network network = Network.BASE;
        private String payTo = DEFAULT_PAY_TO;
        private int x402Version = 2;
        private SandboxProvider provider;
        private Clock clock;

        private Builder() {}

        /** The address to listen on. Default 127.0.0.1. */
        public Builder host(String host) {
            this.host = ensureNotBlank(host, "host");
            return this;
        }

        /** The port. Default 0: a free one, see {@link #baseUrl()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The terms to play. Default {@link BlockRunProfile#publicBeta()}. */
        public Builder profile(BlockRunProfile profile) {
            this.profile = ensureNotNull(profile, "profile");
            return this;
        }

        /** How many requests and payments {@link #requests()} and {@link #payments()} keep. Default 10,000. */
        public Builder logLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("logLimit must be at least 1, was " + limit);
            }
            this.logLimit = limit;
            return this;
        }

        /** The simulated balance every payer starts with, in US dollars. Default $1000. */
        public Builder defaultBalance(BigDecimal usd) {
            this.defaultBalance = ensureNotNull(usd, "usd");
            return this;
        }

        /** The network payments must be on. Default Base mainnet, as BlockRun. */
        public Builder network(Network network) {
            this.network = ensureNotNull(network, "network");
            return this;
        }

        /** The payee. Default {@link #DEFAULT_PAY_TO}. */
        public Builder payTo(String payTo) {
            this.payTo = ensureNotBlank(payTo, "payTo");
            return this;
        }

        /** The x402 version spoken: 2 (default, as BlockRun) or 1. */
        public Builder x402Version(int version) {
            if (version != 1 && version != 2) {
                throw new IllegalArgumentException("x402 version must be 1 or 2, was " + version);
            }
            this.x402Version = version;
            return this;
        }

        /** Where sandboxes run. Default a new {@link LocalProvider}, closed with the emulator. */
        public Builder provider(SandboxProvider provider) {
            this.provider = ensureNotNull(provider, "provider");
            return this;
        }

        /** The clock payments are checked against. */
        public Builder clock(Clock clock) {
            this.clock = ensureNotNull(clock, "clock");
            return this;
        }

        public BlockRunEmulator build() {
            return new BlockRunEmulator(this);
        }
    }
}
