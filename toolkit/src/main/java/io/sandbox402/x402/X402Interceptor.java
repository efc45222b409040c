package io.sandbox402.x402;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Pays for OkHttp requests that answer 402, the way OkHttp's {@code Authenticator} answers 401: the
 * code that makes the request never sees the 402.
 *
 * <p>First the request goes out as it is. If the server answers 402, the interceptor reads its
 * requirements (version 2 header or version 1 body), picks the cheapest entry it can pay (scheme
 * {@code exact}, a network the policy allows, that network's USDC), checks the price against the
 * {@link PaymentPolicy} before anything is signed, records the payment in the {@link SpendLedger},
 * signs an EIP-3009 authorization and sends the request once more with the payment. Then it reads
 * the settlement into the ledger. It never signs a second time for a rejected payment.
 *
 * <p>What a hostile server can take is bounded: an authorization is valid for the server's
 * {@code maxTimeoutSeconds} but never longer than {@link PaymentPolicy#maxValidity()} (five minutes by
 * default); the session cap counts every authorization handed over and not settled until it expires,
 * whatever the server answered (see {@link SpendLedger#totalAtRisk()}); and a host that rejected the
 * last two payments (402 after paying, or 5xx without settling) is paid nothing more while it holds
 * them (a {@link PaymentRefusedException} says so).
 *
 * <p>Pre-payment: the requirements of each method, URL and {@link PaymentTag#priceKey()} are kept for
 * a short time, and later calls send the payment with the first request, so a steady-state paid call
 * is one round trip instead of two. If the server answers a pre-paid request with 402 (the price
 * moved), that authorization is recorded as unused and the normal flow runs once; if the price had not
 * moved, the host evidently wants a fresh 402 before each payment, and it is not pre-paid again.
 * With {@link Builder#persistentQuotes(boolean)} or {@link Builder#quoteCache(Path)} the quotes also
 * outlive the process (a small file per API host, ten minutes by default), so a later process pre-pays
 * from its first call; a quote from the file is checked against the policy before anything is signed.
 *
 * <pre>{@code
 * X402Interceptor payments = X402Interceptor.builder()
 *         .wallet(Wallet.fromEnvironment())
 *         .policy(PaymentPolicy.fromEnvironment())
 *         .build();
 * OkHttpClient client = new OkHttpClient.Builder().addInterceptor(payments).build();
 * }</pre>
 *
 * <p>Payment failures reach the caller as a {@link PaymentIOException} whose cause is the
 * {@link PaymentException}: {@link PaymentRefusedException}, {@link PaymentRejectedException},
 * {@link PaymentOutcomeUnknownException}, {@link MalformedPaymentRequestException} or
 * {@link UnsupportedPaymentException}.
 *
 * <p>Thread-safe: one interceptor serves every call of a client; its {@link Builder} is not thread-safe.
 */
public final class X402Interceptor implements Interceptor {
    private static final System.Logger LOG = System.getLogger(X402Interceptor.class.getName());
    /** The reference reason for a nonce that was already used. */
    static final String ALREADY_USED = "invalid_transaction_state";
    /** A 402 body is a small JSON document; more is not read. */
    private static final long MAX_402_BODY_BYTES = 256 * 1024;

    private final Wallet wallet;
    private final PaymentPolicy policy;
    private final SpendLedger ledger;
    private final Clock clock;
    private final OfferChooser chooser;
    private final AuthorizationSigner signer;
    private final SettlementRecorder settlements;
    private final HostRejections rejections = new HostRejections();
    private final Prepayments prepayments;

    private X402Interceptor(Builder builder) {
        if (builder.wallet == null) {
            throw new IllegalStateException("Wallet required: set BLOCKRUN_WALLET_KEY or call wallet(..).");
        }
        this.wallet = builder.wallet;
        this.policy = builder.policy == null ? PaymentPolicy.defaults() : builder.policy;
        this.clock = builder.clock == null ? Clock.systemUTC() : builder.clock;
        this.ledger = builder.ledger == null ? SpendLedger.builder().clock(clock).build() : builder.ledger;
        this.chooser = new OfferChooser(policy);
        this.signer = new AuthorizationSigner(wallet, policy, ledger, rejections, clock,
                builder.random == null ? new SecureRandom() : builder.random);
        this.settlements = new SettlementRecorder(ledger, rejections);
        Duration storedTtl = builder.quoteCacheTtl == null ? QuoteCache.DEFAULT_TTL : builder.quoteCacheTtl;
        Optional<Path> directory = builder.quoteCache != null ? Optional.of(builder.quoteCache)
                : builder.persistentQuotes ? QuoteCache.defaultDirectory() : Optional.empty();
        this.prepayments = new Prepayments(builder.prepayment,
                builder.prepaymentTtl == null ? Duration.ofSeconds(60) : builder.prepaymentTtl,
                storedTtl.isZero() ? null : directory.map(dir -> new QuoteCache(dir, storedTtl)).orElse(null), chooser, clock);
    }

    /** {@return a new builder; only the wallet is required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the ledger where payments are recorded, the one the session cap counts} */
    public SpendLedger ledger() {
        return ledger;
    }

    /** {@return the policy that decides what may be paid} */
    public PaymentPolicy policy() {
        return policy;
    }

    /** {@return the paying address, the wallet's checksummed {@code 0x} address} */
    public String payer() {
        return wallet.address();
    }

    /**
     * Whether a price of {@code method url} with {@code priceKey} ({@link PaymentTag#priceKey()}) is
     * remembered, from this process or a quote cache, so that its next call is paid with its first request.
     *
     * @param method the HTTP method, such as {@code POST}
     * @param url the absolute request URL, as sent
     * @param priceKey the request's {@link PaymentTag#priceKey()}; {@code null} is the same as no tag
     * @return true when the next such call would be pre-paid
     * @throws IllegalArgumentException when {@code url} is not a valid HTTP or HTTPS URL
     */
    public boolean remembersQuote(String method, String url, String priceKey) {
        okhttp3.HttpUrl parsed = okhttp3.HttpUrl.get(url);
        return prepayments.remembers(parsed, method + " " + parsed + " " + (priceKey == null ? "" : priceKey));
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (request.header(X402Codec.PAYMENT_SIGNATURE) != null || request.header(X402Codec.X_PAYMENT) != null) {
            return chain.proceed(request); // the caller paid already
        }
        PaymentTag tag = request.tag(PaymentTag.class);
        try {
            return pay(chain, request, tag);
        } catch (PaymentException e) {
            throw new PaymentIOException(e);
        }
    }

    private Response pay(Chain chain, Request request, @Nullable PaymentTag tag) throws IOException {
        boolean repeatable = request.body() == null || !request.body().isOneShot();
        String key = request.method() + " " + request.url() + " " + (tag == null ? "" : tag.priceKey());
        Prepayments.Quote quote = repeatable ? prepayments.find(request, key) : null;
        Response response;
        SignedPayment prepaid = quote == null ? null : signQuoted(request, key, quote, tag);
        if (prepaid != null) {
            response = send(chain, request, prepaid, tag);
            if (response.code() != 402) {
                return settlements.settle(request, response, prepaid, tag);
            }
            prepayments.forget(request.url(), key);
            PaymentChallenge challenge = PaymentChallenge.read(response, MAX_402_BODY_BYTES);
            throwIfAlreadyUsed(request, prepaid, challenge, tag);
            PaymentTag.record(tag, ledger.update(prepaid.entry(), LedgerEntry.Outcome.UNUSED, null,
                    "pre-payment answered with 402: " + challenge.reason()));
            rejections.rejected(request.url().host(), prepaid.entry().validBefore(),
                    "a 402 to a pre-payment (" + challenge.reason() + ")");
            return payOnce(chain, request, tag, key, challenge, quote);
        }
        response = chain.proceed(request);
        if (response.code() != 402) {
            return response;
        }
        if (!repeatable) {
            response.close();
            throw new UnsupportedPaymentException("Cannot pay for " + request.method() + " " + request.url()
                    + ": its body is one-shot, so the request cannot be sent again with a payment. Use a repeatable body.");
        }
        return payOnce(chain, request, tag, key, PaymentChallenge.read(response, MAX_402_BODY_BYTES), null);
    }

    /** Pays the 402 in {@code challenge}; {@code prepaid} is the quote of a pre-payment it answered, if any. */
    private Response payOnce(Chain chain, Request request, @Nullable PaymentTag tag, String key, PaymentChallenge challenge,
            Prepayments.@Nullable Quote prepaid)
            throws IOException {
        boolean afterPrepayment = prepaid != null;
        PaymentRequired required = X402Codec.parsePaymentRequired(challenge.requirementsHeader(), challenge.body());
        Offer choice = chooser.choose(request, required);
        if (afterPrepayment && OfferChooser.sameTerms(prepaid.choice().entry(), choice.entry())) {
            // The price did not move, yet the pre-payment was refused: this host wants a fresh 402 before each
            // payment, and every pre-payment would leave it one more unused authorization.
            prepayments.challengeFirst(request.url().host());
        }
        SignedPayment signed = signer.sign(request, required, choice, tag);
        prepayments.quoted(request.url(), key, required, choice);
        Response paid = send(chain, request, signed, tag);
        if (paid.code() != 402) {
            if (paid.isSuccessful()) {
                prepayments.served(request.url(), key, required, choice);
            }
            return settlements.settle(request, paid, signed, tag);
        }
        prepayments.forget(request.url(), key);
        PaymentChallenge rejection = PaymentChallenge.read(paid, MAX_402_BODY_BYTES);
        throwIfAlreadyUsed(request, signed, rejection, tag);
        String reason = rejection.reason();
        PaymentTag.record(tag, ledger.update(signed.entry(), LedgerEntry.Outcome.REJECTED, null, reason));
        rejections.rejected(request.url().host(), signed.entry().validBefore(), "a 402 after paying (" + reason + ")");
        throw new PaymentRejectedException("Payment rejected by " + request.method() + " " + request.url() + ": " + reason
                + ". Nothing more was signed" + (afterPrepayment ? " (a pre-payment was refused too)" : "")
                + ". Check the balance of " + wallet.address() + " on " + choice.network().caip2()
                + " and the server's terms, then try again.", reason);
    }

    /**
     * A fresh random nonce can only have been used by an earlier delivery of this same request (a
     * transport retry below this interceptor), which may have been served and settled: the outcome is
     * unknown, and signing again could pay twice.
     */
    private void throwIfAlreadyUsed(Request request, SignedPayment signed, PaymentChallenge challenge, @Nullable PaymentTag tag) {
        String reason = challenge.reason();
        if (!reason.contains(ALREADY_USED)) {
            return;
        }
        PaymentTag.record(tag, ledger.update(signed.entry(), LedgerEntry.Outcome.UNKNOWN, null, reason));
        throw new PaymentOutcomeUnknownException("The server says the payment of " + Usdc.format(signed.entry().usd())
                + " for " + request.method() + " " + request.url() + " was already used (" + reason + "): an earlier"
                + " delivery of this request may have been served and paid, so it was not signed again. Check the"
                + " server's state before you repeat the call.", null);
    }

    /**
     * Signs a remembered quote. The policy refusing a quote another process stored is no failure: this
     * process's policy decides, the entry is dropped and the call asks its price (nothing was signed).
     */
    private @Nullable SignedPayment signQuoted(Request request, String key, Prepayments.Quote quote, @Nullable PaymentTag tag) {
        try {
            return signer.sign(request, quote.required(), quote.choice(), tag);
        } catch (PaymentRefusedException e) {
            if (!quote.stored()) {
                throw e;
            }
            LOG.log(System.Logger.Level.DEBUG, "Not pre-paying the stored quote for {0}: {1}", key, e.getMessage());
            prepayments.forget(request.url(), key);
            return null;
        }
    }

    private Response send(Chain chain, Request request, SignedPayment signed, @Nullable PaymentTag tag) throws IOException {
        String header = signed.payload().x402Version() == 1 ? X402Codec.X_PAYMENT : X402Codec.PAYMENT_SIGNATURE;
        Request paid = request.newBuilder().header(header, X402Codec.encodePayment(signed.payload())).build();
        try {
            return chain.proceed(paid);
        } catch (IOException e) {
            PaymentTag.record(tag, ledger.update(signed.entry(), LedgerEntry.Outcome.UNKNOWN, null, e.toString()));
            throw new PaymentOutcomeUnknownException("The connection failed after paying " + Usdc.format(signed.entry().usd())
                    + " for " + request.method() + " " + request.url() + " (" + e.getMessage() + "); the payment may or may not"
                    + " have settled, so it was not signed again. Check the server's state before you repeat the call.", e);
        }
    }


    /** Options of an {@link X402Interceptor}. */
    public static final class Builder {
        private @Nullable Wallet wallet;
        private @Nullable PaymentPolicy policy;
        private @Nullable SpendLedger ledger;
        private @Nullable Clock clock;
        private @Nullable SecureRandom random;
        private boolean prepayment = true;
        private @Nullable Duration prepaymentTtl;
        private boolean persistentQuotes;
        private @Nullable Path quoteCache;
        private @Nullable Duration quoteCacheTtl;

        private Builder() {}

        /**
         * The paying wallet. Required.
         *
         * @param wallet the wallet that signs every authorization
         * @return this builder
         */
        public Builder wallet(Wallet wallet) {
            this.wallet = ensureNotNull(wallet, "wallet");
            return this;
        }

        /**
         * What may be paid. Default {@link PaymentPolicy#defaults()}.
         *
         * @param policy the limits checked before anything is signed
         * @return this builder
         */
        public Builder policy(PaymentPolicy policy) {
            this.policy = ensureNotNull(policy, "policy");
            return this;
        }

        /**
         * Where payments are recorded; its {@link SpendLedger#totalAtRisk()} is what the session cap
         * counts. Build it with the same clock as {@link #clock(Clock)}. Default a new in-memory ledger on that clock.
         *
         * @param ledger the ledger to record in and to check the session cap against
         * @return this builder
         */
        public Builder ledger(SpendLedger ledger) {
            this.ledger = ensureNotNull(ledger, "ledger");
            return this;
        }

        /**
         * The clock for authorization validity and quote expiry. Default the system clock.
         *
         * @param clock the clock; tests pass a fixed one
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = ensureNotNull(clock, "clock");
            return this;
        }

        /**
         * The source of nonces. Default a new {@link SecureRandom}.
         *
         * @param random the source of the 32-byte EIP-3009 nonces; a predictable one lets a nonce be replayed
         * @return this builder
         */
        public Builder random(SecureRandom random) {
            this.random = ensureNotNull(random, "random");
            return this;
        }

        /**
         * Whether to send remembered payments with the first request. Default on.
         *
         * @param prepayment false to always wait for a 402 before paying (two round trips per paid call)
         * @return this builder
         */
        public Builder prepayment(boolean prepayment) {
            this.prepayment = prepayment;
            return this;
        }

        /**
         * How long a quote is remembered for pre-payment. Default 60 seconds.
         *
         * @param ttl not negative
         * @return this builder
         */
        public Builder prepaymentTtl(Duration ttl) {
            ensureNotNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("ttl cannot be negative, was " + ttl);
            }
            this.prepaymentTtl = ttl;
            return this;
        }

        /**
         * Whether quotes outlive the process, in the default quote cache, {@code ~/.cache/sandbox402} (the
         * system property {@code sandbox402.quoteCache} names another directory, or {@code off}). A later
         * process then pays with its first request. Default off; {@link #quoteCache(Path)} picks the directory.
         *
         * @param persistentQuotes whether to keep quotes across processes
         * @return this builder
         */
        public Builder persistentQuotes(boolean persistentQuotes) {
            this.persistentQuotes = persistentQuotes;
            this.quoteCache = persistentQuotes ? quoteCache : null;
            return this;
        }

        /**
         * Keeps quotes across processes in {@code directory} (one file per API host, readable by its owner
         * only; no secret in it). Implies {@link #persistentQuotes(boolean)}.
         *
         * @param directory the cache directory; created when first written
         * @return this builder
         */
        public Builder quoteCache(Path directory) {
            this.quoteCache = ensureNotNull(directory, "directory");
            return this;
        }

        /**
         * Keeps quotes across processes where {@code environment} says, as the {@code fromEnvironment} methods
         * read it: {@code SANDBOX402_QUOTE_CACHE} (a directory, or {@code off}), else
         * {@code $XDG_CACHE_HOME/sandbox402}, else {@code ~/.cache/sandbox402}.
         *
         * @param environment the variables, usually {@link System#getenv()}
         * @return this builder
         */
        public Builder quoteCacheFromEnvironment(Map<String, String> environment) {
            Optional<Path> directory = QuoteCache.directory(ensureNotNull(environment, "environment"));
            this.persistentQuotes = directory.isPresent();
            this.quoteCache = directory.orElse(null);
            return this;
        }

        /**
         * How long a quote in the quote cache is used after the 402 that gave it. Default 10 minutes;
         * {@link Duration#ZERO} turns the quote cache off. A stale quote costs one refused pre-payment, counted
         * against the session cap until it expires.
         *
         * @param ttl not negative
         * @return this builder
         */
        public Builder quoteCacheTtl(Duration ttl) {
            ensureNotNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("ttl cannot be negative, was " + ttl);
            }
            this.quoteCacheTtl = ttl;
            return this;
        }

        /**
         * {@return the interceptor, to add to an {@code OkHttpClient.Builder}}
         *
         * @throws IllegalStateException when no wallet was set
         */
        public X402Interceptor build() {
            return new X402Interceptor(this);
        }
    }
}
