package io.sandbox402.emulator;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Simulated USDC balances: every payer starts with the default, so any development key can pay. */
final class Balances {
    private final BigInteger initial;
    private final Map<String, BigInteger> balances = new ConcurrentHashMap<>();

    Balances(BigInteger initial) {
        this.initial = initial;
    }

    BigInteger of(String address) {
        return balances.getOrDefault(key(address), initial);
    }

    void set(String address, BigInteger amount) {
        balances.put(key(address), amount);
    }

    /** Takes {@code amount} if the balance covers it; atomic per address. */
    boolean debit(String address, BigInteger amount) {
        boolean[] debited = {false};
        balances.compute(key(address), (k, balance) -> {
            BigInteger current = balance == null ? initial : balance;
            if (current.compareTo(amount) < 0) {
                return current;
            }
            debited[0] = true;
            return current.subtract(amount);
        });
        return debited[0];
    }

    private static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }
}
