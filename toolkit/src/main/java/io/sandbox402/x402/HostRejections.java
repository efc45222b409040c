package io.sandbox402.x402;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops paying a host that keeps rejecting what it is sent. A rejection is a paid request answered
 * with 402 (pre-payments included) or a settlement that failed: in each the host kept a valid
 * authorization and refused what it was sent. (A paid call answered 5xx without settlement is a failed
 * call: its authorization counts against the session cap until it expires, but it is no rejection.) After
 * {@link #LIMIT} rejections in a row the host is paid nothing more while it still holds one of those
 * authorizations, that is until the latest one's {@code validBefore} (at most the policy's
 * {@link PaymentPolicy#maxValidity()} away); then one payment is tried again. A settled payment clears
 * the count. So a host that keeps refusing holds at most two live authorizations at any time, on top
 * of the session cap that bounds everything, a host that answers 5xx forever included.
 */
final class HostRejections {
    /** Two: one failure can be bad luck (a price that moved, a transient 503); two in a row is a pattern. */
    static final int LIMIT = 2;

    private final Map<String, Streak> hosts = new ConcurrentHashMap<>();

    /** Counts a rejection by {@code host} of an authorization valid until {@code validBefore}. */
    void rejected(String host, Instant validBefore, String serverReason) {
        // The reason is the server's text: keep messages readable whatever it sends.
        String reason = serverReason.length() <= 200 ? serverReason : serverReason.substring(0, 197) + "...";
        hosts.merge(host, new Streak(1, validBefore, reason), (old, next) -> new Streak(old.count() + 1,
                old.heldUntil().isAfter(validBefore) ? old.heldUntil() : validBefore, reason));
    }

    /** A payment to {@code host} settled: it delivers. */
    void settled(String host) {
        hosts.remove(host);
    }

    /**
     * Refuses to pay {@code host} at {@code now} after {@link #LIMIT} rejections in a row while it still
     * holds one of the rejected authorizations.
     *
     * @throws PaymentRefusedException naming the host, the count, its last reason and when payments resume
     */
    void check(String host, PaymentQuote quote, Instant now) {
        Streak streak = hosts.get(host);
        if (streak != null && streak.count() >= LIMIT && now.isBefore(streak.heldUntil())) {
            throw new PaymentRefusedException("Payment refused for " + quote.method() + " " + quote.url() + ": " + host
                    + " rejected the last " + streak.count() + " payments; not paying it again. Its last answer: "
                    + streak.lastReason() + ". The authorizations it was sent stay valid until " + streak.heldUntil()
                    + "; after that one payment will be tried again. Check the server's status and your balance before"
                    + " calling it again.");
        }
    }

    private record Streak(int count, Instant heldUntil, String lastReason) {}
}
