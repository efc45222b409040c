package io.sandbox402.x402.internal;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Public keys that recovery proved to belong to their addresses, as tables of their multiples, so that
 * a payer's next signatures are verified instead of recovered. Keys are public; a key is only ever
 * stored under the address derived from it. Bounded: each table takes about 300 KB (the emulator verifies a few payers), and past
 * {@link #MAX_KEYS} payers the cache starts over.
 */
final class PayerKeys {
    static final int MAX_KEYS = 64;
    /** 5-bit windows: 52 additions a product, 1,612 points. */
    private static final int WIDTH = 5;
    private static final Map<String, FixedBaseTable> KEYS = new ConcurrentHashMap<>();

    private PayerKeys() {}

    static FixedBaseTable get(String address) {
        return KEYS.get(address.toLowerCase(Locale.ROOT));
    }

    /** Stores {@code publicKey} under {@code address}; the caller has checked that one derives the other. */
    static void put(String address, ECPoint publicKey) {
        if (KEYS.size() >= MAX_KEYS) {
            KEYS.clear();
        }
        KEYS.put(address.toLowerCase(Locale.ROOT), new FixedBaseTable(publicKey, WIDTH));
    }
}
