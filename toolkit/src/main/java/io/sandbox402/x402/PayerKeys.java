package io.sandbox402.x402;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Public keys that recovery proved to belong to their addresses, so that a payer's next signatures are
 * verified instead of recovered. Keys are public; a key is only ever stored under the address derived
 * from it. Bounded: past {@link #MAX_KEYS} payers the cache starts over.
 */
final class PayerKeys {
    static final int MAX_KEYS = 4096;
    private static final Map<String, ECPoint> KEYS = new ConcurrentHashMap<>();

    private PayerKeys() {}

    static ECPoint get(String address) {
        return KEYS.get(address.toLowerCase(Locale.ROOT));
    }

    /** Stores {@code publicKey} under {@code address}; the caller has checked that one derives the other. */
    static void put(String address, ECPoint publicKey) {
        if (KEYS.size() >= MAX_KEYS) {
            KEYS.clear();
        }
        KEYS.put(address.toLowerCase(Locale.ROOT), publicKey);
    }
}
