package io.sandbox402.x402;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.x402.internal.Abi;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What may be paid, checked before anything is signed. A quote above a cap, on a network that is not
 * allowed or to a payee that is not pinned is refused with a {@link PaymentRefusedException} that
 * names the price, the limit and how to raise it. One exception: a call tagged {@link
 * PaymentTag#cleanup()} (terminating a sandbox) is paid past the session cap, never past the per-call
 * cap, so that reaching the budget never leaves a sandbox running.
 *
 * <pre>{@code
 * PaymentPolicy policy = PaymentPolicy.builder()
 *         .maxCostPerCall(new BigDecimal("0.50"))   // a GPU create
 *         .maxSessionCost(new BigDecimal("5.00"))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; its {@link Builder} is not thread-safe.
 */
public final class PaymentPolicy {

    /** The environment variable {@link #fromEnvironment()} reads the per-call cap from, in US dollars. */
    public static final String MAX_COST_PER_CALL_VARIABLE = "BLOCKRUN_MAX_COST_PER_CALL";
    /** The environment variable {@link #fromEnvironment()} reads the session cap from, in US dollars. */
    public static final String MAX_SESSION_COST_VARIABLE = "BLOCKRUN_MAX_SESSION_COST";

    /** Enough for any CPU sandbox call (at most $0.012 so far); a GPU create ($0.05 to $0.40) needs an explicit raise. */
    public static final BigDecimal DEFAULT_MAX_COST_PER_CALL = new BigDecimal("0.05");
    /** About a hundred CPU sandbox calls. */
    public static final BigDecimal DEFAULT_MAX_SESSION_COST = new BigDecimal("1.00");
    /**
     * Five minutes: what BlockRun asks (300 s) and the reference server's default, long enough for any
     * sandbox call to be settled, short enough that a server cannot sit on an authorization for a day.
     */
    public static final Duration DEFAULT_MAX_VALIDITY = Duration.ofMinutes(5);

    private final BigDecimal maxCostPerCall;
    private final BigDecimal maxSessionCost;
    private final Set<Network> networks;
    private final Set<String> payees;
    private final @Nullable PaymentConfirmation confirmation;
    private final Duration maxValidity;

    private PaymentPolicy(Builder builder) {
        this.maxCostPerCall = builder.maxCostPerCall == null ? DEFAULT_MAX_COST_PER_CALL : builder.maxCostPerCall;
        this.maxSessionCost = builder.maxSessionCost == null ? DEFAULT_MAX_SESSION_COST : builder.maxSessionCost;
        this.networks = builder.networks.isEmpty() ? EnumSet.of(Network.BASE) : EnumSet.copyOf(builder.networks);
        this.payees = Set.copyOf(builder.payees);
        this.confirmation = builder.confirmation;
        this.maxValidity = builder.maxValidity == null ? DEFAULT_MAX_VALIDITY : builder.maxValidity;
    }

    /** {@return the default policy: $0.05 a call, $1.00 a session, Base mainnet, any payee, authorizations valid five minutes at most} */
    public static PaymentPolicy defaults() {
        return builder().build();
    }

    /**
     * {@return the defaults, with caps from {@code BLOCKRUN_MAX_COST_PER_CALL} and {@code BLOCKRUN_MAX_SESSION_COST} when set}
     *
     * @throws IllegalArgumentException when a variable is set but not a US dollar amount
     */
    public static PaymentPolicy fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * {@link #fromEnvironment()} reading {@code environment} instead of the process environment.
     *
     * @param environment variable names to values, such as {@link System#getenv()}; blank values count as unset
     * @return the defaults, with the caps the variables set
     * @throws IllegalArgumentException when a variable is set but not a US dollar amount
     */
    public static PaymentPolicy fromEnvironment(Map<String, String> environment) {
        Builder builder = builder();
        String perCall = environment.get(MAX_COST_PER_CALL_VARIABLE);
        if (perCall != null && !perCall.isBlank()) {
            builder.maxCostPerCall(parseUsd(perCall, MAX_COST_PER_CALL_VARIABLE));
        }
        String session = environment.get(MAX_SESSION_COST_VARIABLE);
        if (session != null && !session.isBlank()) {
            builder.maxSessionCost(parseUsd(session, MAX_SESSION_COST_VARIABLE));
        }
        return builder.build();
    }

    /**
     * Parses a US dollar amount such as {@code 0.05} or {@code $1}; {@code name} is used in the error.
     * The same as {@link Usdc#parse(String, String)}.
     *
     * @param value the amount as typed, with or without a leading {@code $}
     * @param name what the value is, such as an option or variable name, for the error message
     * @return the amount in US dollars
     */
    public static BigDecimal parseUsd(String value, String name) {
        return Usdc.parse(value, name);
    }

    /** {@return a builder that starts from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder that starts from this policy, to change a few of its limits} */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.maxCostPerCall = maxCostPerCall;
        builder.maxSessionCost = maxSessionCost;
        builder.networks.addAll(networks);
        builder.payees.addAll(payees);
        builder.confirmation = confirmation;
        builder.maxValidity = maxValidity;
        return builder;
    }

    /** {@return the most one request may cost, in US dollars} */
    public BigDecimal maxCostPerCall() {
        return maxCostPerCall;
    }

    /** {@return the most all requests through one ledger may cost together, in US dollars} */
    public BigDecimal maxSessionCost() {
        return maxSessionCost;
    }

    /** {@return the networks payments may be made on, never empty} */
    public Set<Network> networks() {
        return networks;
    }

    /**
     * {@return the longest an authorization is signed to stay valid, in whole seconds} Its {@code validBefore}
     * is now plus the shorter of this and the server's {@code maxTimeoutSeconds}.
     */
    public Duration maxValidity() {
        return maxValidity;
    }

    /** The seconds an authorization is valid for when the server asks {@code askedSeconds}. */
    long validitySeconds(long askedSeconds) {
        return Math.min(askedSeconds, maxValidity.getSeconds());
    }

    boolean allows(Network network) {
        return networks.contains(network);
    }

    /** The checks that need no shared state: the per-call cap, the payee, the confirmation hook. */
    void checkQuote(PaymentQuote quote) {
        if (quote.usd().compareTo(maxCostPerCall) > 0) {
            throw new PaymentRefusedException("Payment refused for " + quote.method() + " " + quote.url()
                    + ": the server asks " + quote.price() + " (" + quote.amount() + " USDC units), above the per-call cap of "
                    + Usdc.format(maxCostPerCall) + ". Raise it with --max-cost-per-call or " + MAX_COST_PER_CALL_VARIABLE + ".");
        }
        if (!payees.isEmpty() && !payees.contains(quote.payTo().toLowerCase(Locale.ROOT))) {
            throw new PaymentRefusedException("Payment refused for " + quote.method() + " " + quote.url()
                    + ": the payee " + quote.payTo() + " is not one of the allowed payees " + new TreeSet<>(payees)
                    + ". Add it with PaymentPolicy.builder().allowPayees(..) if you trust it.");
        }
        if (confirmation != null && !confirmation.confirm(quote)) {
            throw new PaymentRefusedException("Payment refused for " + quote.method() + " " + quote.url()
                    + ": the confirmation hook declined " + quote.price() + " to " + quote.payTo() + ".");
        }
    }

    /**
     * The session cap, checked by the ledger atomically with recording the payment: {@code committed}
     * is settled, pending or unknown; {@code exposed} is in rejected or unused authorizations that
     * servers can still settle, the last of them until {@code exposedUntil}.
     */
    PaymentRefusedException sessionCapExceeded(PaymentQuote quote, BigDecimal committed, BigDecimal exposed,
            Instant exposedUntil) {
        String prefix = "Payment refused for " + quote.method() + " " + quote.url() + ": the server asks " + quote.price();
        String raise = " Raise it with --max-session-cost or " + MAX_SESSION_COST_VARIABLE;
        if (exposed.signum() == 0) {
            return new PaymentRefusedException(prefix + ", and " + Usdc.format(committed) + " is already spent this session; "
                    + "together that is above the session cap of " + Usdc.format(maxSessionCost) + "." + raise + ".");
        }
        return new PaymentRefusedException(prefix + ", and " + Usdc.format(committed.add(exposed))
                + " is already spent or signed away this session (" + Usdc.format(committed) + " spent or possibly spent, "
                + Usdc.format(exposed) + " in rejected or unused authorizations that the servers hold and could still settle"
                + " until " + exposedUntil + "); together that is above the session cap of " + Usdc.format(maxSessionCost)
                + "." + raise + ", or wait until those authorizations expire.");
    }

    @Override
    public String toString() {
        return "PaymentPolicy{maxCostPerCall=" + Usdc.format(maxCostPerCall) + ", maxSessionCost=" + Usdc.format(maxSessionCost)
                + ", maxValidity=" + maxValidity + ", networks=" + networks + (payees.isEmpty() ? "" : ", payees=" + payees) + "}";
    }

    /** Options of a {@link PaymentPolicy}; unset options keep their defaults. */
    public static final class Builder {
        private @Nullable BigDecimal maxCostPerCall;
        private @Nullable BigDecimal maxSessionCost;
        private final Set<Network> networks = EnumSet.noneOf(Network.class);
        private final Set<String> payees = new TreeSet<>();
        private @Nullable PaymentConfirmation confirmation;
        private @Nullable Duration maxValidity;

        private Builder() {}

        /**
         * The most one request may cost, in US dollars. Default $0.05.
         *
         * @param usd not negative; zero refuses every paid call
         * @return this builder
         */
        public Builder maxCostPerCall(BigDecimal usd) {
            this.maxCostPerCall = nonNegative(usd, "maxCostPerCall");
            return this;
        }

        /**
         * The most all requests through one ledger may cost together, in US dollars. Default $1.00.
         *
         * @param usd not negative; counts settled payments and authorizations servers could still settle
         * @return this builder
         */
        public Builder maxSessionCost(BigDecimal usd) {
            this.maxSessionCost = nonNegative(usd, "maxSessionCost");
            return this;
        }

        /**
         * The networks to pay on. Default Base mainnet only; Base Sepolia is opt-in.
         *
         * @param networks replaces the networks set before; none means the default
         * @return this builder
         */
        public Builder allowNetworks(Network... networks) {
            this.networks.clear();
            for (Network network : networks) {
                this.networks.add(ensureNotNull(network, "network"));
            }
            return this;
        }

        /**
         * Pins the payees: any other {@code payTo} is refused. Default any payee.
         *
         * @param payees {@code 0x} addresses, any case; added to those pinned before
         * @return this builder
         * @throws IllegalArgumentException when a payee is not a 20-byte hex address
         */
        public Builder allowPayees(String... payees) {
            for (String payee : payees) {
                Abi.address(payee, "payee");
                this.payees.add(payee.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /**
         * The longest a signed authorization may stay valid, whatever the server's
         * {@code maxTimeoutSeconds} asks: until then the payee can settle it even if it answered the
         * paid call with an error. Whole seconds, at least one. Default five minutes.
         *
         * @param maxValidity at least one second; a fraction of a second is dropped
         * @return this builder
         */
        public Builder maxValidity(Duration maxValidity) {
            ensureNotNull(maxValidity, "maxValidity");
            if (maxValidity.getSeconds() < 1) {
                throw new IllegalArgumentException("maxValidity must be at least one second, was " + maxValidity);
            }
            this.maxValidity = Duration.ofSeconds(maxValidity.getSeconds());
            return this;
        }

        /**
         * A hook that sees each quote and may refuse it. Default none.
         *
         * @param confirmation called after the per-call cap and payee checks pass, before anything is signed
         * @return this builder
         */
        public Builder confirm(PaymentConfirmation confirmation) {
            this.confirmation = ensureNotNull(confirmation, "confirmation");
            return this;
        }

        /** {@return the policy} */
        public PaymentPolicy build() {
            return new PaymentPolicy(this);
        }

        private static BigDecimal nonNegative(BigDecimal usd, String name) {
            ensureNotNull(usd, name);
            if (usd.signum() < 0) {
                throw new IllegalArgumentException(name + " cannot be negative, was " + usd);
            }
            return usd;
        }
    }
}
