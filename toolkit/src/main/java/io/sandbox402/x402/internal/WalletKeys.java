package io.sandbox402.x402.internal;

import io.sandbox402.x402.Wallet;
import java.util.function.Function;
import org.web3j.crypto.ECKeyPair;

/**
 * The bridge through which this package's signer reaches a {@link Wallet}'s key, which {@code Wallet}
 * keeps package-private; {@code Wallet} installs it when its class loads, as OkHttp's
 * {@code Internal.instance} bridges {@code okhttp3} and {@code okhttp3.internal}. Thread-safe.
 */
public final class WalletKeys {
    private static volatile Function<Wallet, ECKeyPair> bridge;

    private WalletKeys() {}

    /**
     * Called once, by {@code Wallet}'s static initializer.
     *
     * @param keys reads a wallet's key pair
     * @throws IllegalStateException when a bridge is already installed
     */
    public static synchronized void install(Function<Wallet, ECKeyPair> keys) {
        if (bridge != null) {
            throw new IllegalStateException("WalletKeys is installed by Wallet only");
        }
        bridge = keys;
    }

    /** The key pair of {@code wallet}; a wallet exists only after its class installed the bridge. */
    static ECKeyPair of(Wallet wallet) {
        return bridge.apply(wallet);
    }
}
