package io.sandbox402.x402;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A request tag through which one call tells {@link X402Interceptor} its price key and learns what it
 * paid, even when many calls share the interceptor:
 *
 * <pre>{@code
 * PaymentTag tag = PaymentTag.priceKey("gpu=H100");
 * Request request = new Request.Builder().url(url).post(body).tag(PaymentTag.class, tag).build();
 * try (Response response = client.newCall(request).execute()) { ... }
 * BigDecimal cost = tag.cost();
 * }</pre>
 *
 * <p>The price key separates pre-payment quotes of one URL whose price depends on the body (a GPU
 * create costs more than a CPU one).
 *
 * <p>Thread-safe: the interceptor records into it while the caller may read it.
 */
public final class PaymentTag {
    private final String priceKey;
    private final boolean cleanup;
    private final List<LedgerEntry> payments = new ArrayList<>();

    private PaymentTag(@Nullable String priceKey, boolean cleanup) {
        this.priceKey = priceKey == null ? "" : priceKey;
        this.cleanup = cleanup;
    }

    /** {@return a tag with no price key, to learn what a call paid} */
    public static PaymentTag create() {
        return new PaymentTag("", false);
    }

    /**
     * A tag whose price key tells apart calls to one URL that cost different amounts.
     *
     * @param key what the price depends on, such as {@code gpu=H100}; null is the same as no key
     * @return a new tag
     */
    public static PaymentTag priceKey(@Nullable String key) {
        return new PaymentTag(key, false);
    }

    /**
     * A call that releases a paid resource, such as terminating a sandbox: it is paid even past the
     * session cap (never past the per-call cap), because leaving the resource running costs more.
     *
     * @return a new cleanup tag, with no price key
     */
    public static PaymentTag cleanup() {
        return new PaymentTag("", true);
    }

    /** {@return whether this call releases a paid resource and may pass the session cap} */
    public boolean isCleanup() {
        return cleanup;
    }

    /** {@return the price key, empty when none was given} */
    public String priceKey() {
        return priceKey;
    }

    /** {@return the payments this call made, each with its latest outcome} A snapshot; later outcomes do not change it. */
    public synchronized List<LedgerEntry> payments() {
        return List.copyOf(payments);
    }

    /** {@return the US dollars this call committed: settled, or of unknown outcome} */
    public synchronized BigDecimal cost() {
        BigDecimal total = BigDecimal.ZERO;
        for (LedgerEntry entry : payments) {
            if (entry.outcome() == LedgerEntry.Outcome.SETTLED || entry.outcome() == LedgerEntry.Outcome.UNKNOWN) {
                total = total.add(entry.usd());
            }
        }
        return total;
    }

    /** Tells {@code tag}, when there is one, the latest state of one of its payments. */
    static void record(@Nullable PaymentTag tag, LedgerEntry entry) {
        if (tag != null) {
            tag.record(entry);
        }
    }

    synchronized void record(LedgerEntry entry) {
        payments.removeIf(existing -> existing.id() == entry.id());
        payments.add(entry);
    }
}
