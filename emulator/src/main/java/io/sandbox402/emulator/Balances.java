package io.sandbox402.emulator;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Simulated USDC balances: every payer starts with the default, so any development key can pay. A paid
 * call first {@link #reserve reserves} its value, so that concurrent calls cannot spend the same dollars
 * twice; the reservation is then either {@link #settle settled} (debited) or {@link #release released}.
 */
final class Balances {
    private final BigInteger initial;
    private final Map<String, BigInteger> balances = new HashMap<>();
    private final Map<String, BigInteger> reserved = new HashMap<>();

    Balances(BigInteger initial) {
        this.initial = initial;
    }

    /** The balance, reservations not deducted. */
    synchronized BigInteger of(String address) {
        return balances.getOrDefault(key(address), initial);
    }

    /** What is left to reserve: the balance less the calls under way. */
    synchronized BigInteger available(String address) {
        return of(address).subtract(reserved.getOrDefault(key(address), BigInteger.ZERO));
    }

    synchronized void set(String address, BigInteger amount) {
        balances.put(key(address), amount);
    }

    /** Holds {@code amount} for a call under way if what is available covers it. */
    synchronized boolean reserve(String address, BigInteger amount) {
        if (available(address).compareTo(amount) < 0) {
            return false;
        }
        reserved.merge(key(address), amount, BigInteger::add);
        return true;
    }

    /** Gives a reservation back: the call failed, nothing is charged. */
    synchronized void release(String address, BigInteger amount) {
        reserved.computeIfPresent(key(address), (k, held) -> held.equals(amount) ? null : held.subtract(amount));
    }

    /** Debits a reservation: the call succeeded. */
    synchronized void settle(String address, BigInteger amount) {
        release(address, amount);
        balances.put(key(address), of(address).subtract(amount));
    }

    private static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }
}
