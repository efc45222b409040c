package io.sandbox402.x402;

import io.sandbox402.x402.internal.PaymentRequired;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * The prices a call may pay with its first request: those this process was quoted (for a TTL), then those
 * the quote cache kept from another process; and the hosts that refused a pre-payment at an unchanged
 * price, which are paid only after a 402. Keys are {@code method url priceKey}. Thread-safe.
 */
final class Prepayments {
    private static final System.Logger LOG = System.getLogger(Prepayments.class.getName());

    private final boolean enabled;
    private final Duration ttl;
    private final @Nullable QuoteCache stored;
    private final OfferChooser chooser;
    private final Clock clock;
    private final Map<String, Quote> quotes = new ConcurrentHashMap<>();
    private final Set<String> challengeFirst = ConcurrentHashMap.newKeySet();

    Prepayments(boolean enabled, Duration ttl, @Nullable QuoteCache stored, OfferChooser chooser, Clock clock) {
        this.enabled = enabled;
        this.ttl = ttl;
        this.stored = enabled ? stored : null;
        this.chooser = chooser;
        this.clock = clock;
    }

    /**
     * A price remembered for {@code key}: this process's while fresh, else the quote cache's, chosen again
     * from its requirements as from a 402 (an entry that no longer makes sense is dropped).
     */
    @Nullable Quote find(okhttp3.Request request, String key) {
        if (!enabled || challengeFirst.contains(request.url().host())) {
            return null;
        }
        Quote quote = quotes.get(key);
        if (quote != null && clock.instant().isAfter(quote.expires())) {
            quotes.remove(key, quote);
            quote = null;
        }
        return quote != null || stored == null ? quote : fromCache(request, key);
    }

    /** Whether a price is remembered for {@code key}, so that its next call is paid with its first request. */
    boolean remembers(HttpUrl url, String key) {
        if (!enabled || challengeFirst.contains(url.host())) {
            return false;
        }
        Quote quote = quotes.get(key);
        return quote != null && !clock.instant().isAfter(quote.expires())
                || stored != null && stored.get(url, key, clock.instant()).isPresent();
    }

    /** Remembers the price of a 402 that is being paid. */
    void quoted(HttpUrl url, String key, PaymentRequired required, Offer choice) {
        if (enabled && !challengeFirst.contains(url.host())) {
            quotes.put(key, new Quote(required, choice, clock.instant().plus(ttl), false));
        }
    }

    /** Keeps the price of a call the server served for later processes. */
    void served(HttpUrl url, String key, PaymentRequired required, Offer choice) {
        if (stored != null && !challengeFirst.contains(url.host())) {
            stored.put(url, key, required, choice.entry(), clock.instant());
        }
    }

    /** Forgets {@code key}'s price: its pre-payment was refused, or its payment rejected. */
    void forget(HttpUrl url, String key) {
        quotes.remove(key);
        if (stored != null) {
            stored.remove(url, key);
        }
    }

    /** From now on {@code host} is paid only after a 402: it refused a pre-payment whose price had not moved. */
    void challengeFirst(String host) {
        challengeFirst.add(host);
    }

    private @Nullable Quote fromCache(okhttp3.Request request, String key) {
        QuoteCache.Stored entry = stored.get(request.url(), key, clock.instant()).orElse(null);
        if (entry == null) {
            return null;
        }
        try {
            Offer choice = chooser.choose(request, entry.required());
            if (!entry.matches(choice.entry())) {
                throw new MalformedPaymentRequestException("its payee, network, asset or amount differ from its requirements");
            }
            Instant expires = clock.instant().plus(ttl);
            Quote quote = new Quote(entry.required(), choice, entry.expires().isBefore(expires) ? entry.expires() : expires,
                    true);
            quotes.put(key, quote);
            return quote;
        } catch (PaymentException e) {
            LOG.log(System.Logger.Level.DEBUG, "Not pre-paying the stored quote for {0}: {1}", key, e.getMessage());
            stored.remove(request.url(), key);
            return null;
        }
    }

    /**
     * A remembered price.
     *
     * @param stored read from the quote cache, so this process's policy has not yet seen it
     */
    record Quote(PaymentRequired required, Offer choice, Instant expires, boolean stored) {}
}
