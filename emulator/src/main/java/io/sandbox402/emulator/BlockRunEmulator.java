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

    /** {@return a builder with BlockRun's public-beta terms, listening on a free port of 127.0.0.1} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening. Idempotent.
     *
     * @return this emulator
     */
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

    /** Stops the emulator, as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** {@return the API's base URL, for {@code BLOCKRUN_API_URL}: {@code http://127.0.0.1:PORT/api}} */
    public synchronized String baseUrl() {
        if (server == null) {
            throw new IllegalStateException("The emulator is not started; call start() first.");
        }
        return "http://" + host + ":" + server.getAddress().getPort() + "/api";
    }

    /** {@return the port it listens on, or -1 before {@link #start()}} */
    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /**
     * Sets {@code address}'s simulated USDC balance.
     *
     * @param address the payer's address
     * @param usd the balance in US dollars
     */
    public void fund(String address, BigDecimal usd) {
        balances.set(ensureNotBlank(address, "address"), BlockRunProfile.usd(usd));
    }

    /**
     * {@return {@code address}'s simulated USDC balance in US dollars}
     *
     * @param address the payer's address
     */
    public BigDecimal balanceOf(String address) {
        return new BigDecimal(balances.of(address), 6);
    }

    /** {@return the terms it plays: limits, prices, strictness} */
    public BlockRunProfile profile() {
        return profile;
    }

    /**
     * Pauses the Modal integration: while paused every sandbox call is answered 503 (nothing charged), as
     * BlockRun does when the integration is not configured or paused. {@code pause(false)} resumes.
     *
     * @param paused whether sandbox calls are answered 503
     */
    public void pause(boolean paused) {
        handler.paused = paused;
    }

    /**
     * Plays {@code fault} on the next request for {@code operation}; payment faults wait for a paid request.
     *
     * @param operation {@code create}, {@code exec}, {@code status}, {@code terminate}, or {@code "*"} for any
     * @param fault what to play
     */
    public void inject(String operation, Fault fault) {
        handler.inject(ensureNotBlank(operation, "operation"), ensureNotNull(fault, "fault"));
    }

    /** {@return the last requests answered, oldest first, at most {@link Builder#logLimit}} */
    public List<EmulatorRequest> requests() {
        return log.requests();
    }

    /** {@return the last payments received, oldest first, at most {@link Builder#logLimit}} */
    public List<EmulatorPayment> payments() {
        return log.payments();
    }

    /** {@return how many requests it answered since start, exactly (not bounded by the log)} */
    public long requestCount() {
        return log.requestCount();
    }

    /** {@return how many payments it received since start, exactly} */
    public long paymentCount() {
        return log.paymentCount();
    }

    /** {@return how many payments settled since start, exactly} */
    public long settledPaymentCount() {
        return log.settledCount();
    }

    /** {@return how many sandboxes it created are still running: zero after a client that leaks nothing} */
    public int runningSandboxes() {
        return api.running();
    }

    /** Configures a {@link BlockRunEmulator}; not thread-safe. */
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

        /**
         * The address to listen on. Default 127.0.0.1.
         *
         * @param host a host name or IP address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = ensureNotBlank(host, "host");
            return this;
        }

        /**
         * The port. Default 0: a free one, see {@link #baseUrl()}.
         *
         * @param port 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The terms to play. Default {@link BlockRunProfile#publicBeta()}.
         *
         * @param profile the terms
         * @return this builder
         */
        public Builder profile(BlockRunProfile profile) {
            this.profile = ensureNotNull(profile, "profile");
            return this;
        }

        /**
         * How many requests and payments {@link #requests()} and {@link #payments()} keep. Default 10,000.
         *
         * @param limit at least 1
         * @return this builder
         */
        public Builder logLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("logLimit must be at least 1, was " + limit);
            }
            this.logLimit = limit;
            return this;
        }

        /**
         * The simulated balance every payer starts with. Default $1000.
         *
         * @param usd the balance in US dollars
         * @return this builder
         */
        public Builder defaultBalance(BigDecimal usd) {
            this.defaultBalance = ensureNotNull(usd, "usd");
            return this;
        }

        /**
         * The network payments must be on. Default Base mainnet, as BlockRun.
         *
         * @param network the network
         * @return this builder
         */
        public Builder network(Network network) {
            this.network = ensureNotNull(network, "network");
            return this;
        }

        /**
         * The payee. Default {@link #DEFAULT_PAY_TO}.
         *
         * @param payTo the payee's address
         * @return this builder
         */
        public Builder payTo(String payTo) {
            this.payTo = ensureNotBlank(payTo, "payTo");
            return this;
        }

        /**
         * The x402 version spoken: 2 (default, as BlockRun) or 1.
         *
         * @param version 1 or 2
         * @return this builder
         */
        public Builder x402Version(int version) {
            if (version != 1 && version != 2) {
                throw new IllegalArgumentException("x402 version must be 1 or 2, was " + version);
            }
            this.x402Version = version;
            return this;
        }

        /**
         * Where sandboxes run. Default a new {@link LocalProvider}, closed with the emulator.
         *
         * @param provider the provider that runs the emulator's sandboxes
         * @return this builder
         */
        public Builder provider(SandboxProvider provider) {
            this.provider = ensureNotNull(provider, "provider");
            return this;
        }

        /**
         * The clock payments are checked against. Default the system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = ensureNotNull(clock, "clock");
            return this;
        }

        /** {@return a new emulator, not yet started} */
        public BlockRunEmulator build() {
            return new BlockRunEmulator(this);
        }
    }
}
