package io.sandbox402.x402;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.x402.internal.WalletKeys;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * The key that pays. Only its {@link #address()} is ever shown: {@code toString()}, logs and error
 * messages never contain the key.
 *
 * <pre>{@code
 * Wallet wallet = Wallet.fromEnvironment();          // BLOCKRUN_WALLET_KEY
 * Wallet same = Wallet.fromHex(System.getenv("BLOCKRUN_WALLET_KEY"));
 * Wallet stored = Wallet.fromKeystore(Path.of("keystore.json"), password);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Wallet {

    /** The variable BlockRun's SDKs read the key from. */
    public static final String KEY_VARIABLE = "BLOCKRUN_WALLET_KEY";
    /** The older name BlockRun's SDKs also accept. */
    public static final String LEGACY_KEY_VARIABLE = "BASE_CHAIN_WALLET_KEY";

    static {
        WalletKeys.install(wallet -> wallet.keyPair);
    }

    private final ECKeyPair keyPair;
    private final String address;

    private Wallet(ECKeyPair keyPair) {
        this.keyPair = keyPair;
        this.address = Keys.toChecksumAddress(Keys.getAddress(keyPair));
    }

    /**
     * A wallet from a private key in hex, with or without {@code 0x}.
     *
     * @param privateKey 64 hex digits, any case, optionally after {@code 0x}; surrounding whitespace is ignored
     * @return the wallet of that key
     * @throws IllegalArgumentException when it is not 32 bytes of hex; the message never repeats the key
     */
    public static Wallet fromHex(String privateKey) {
        ensureNotNull(privateKey, "privateKey");
        String hex = privateKey.trim();
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("The wallet key must be 64 hex digits (32 bytes), optionally after 0x; "
                    + "the value given has " + hex.length() + " characters or is not hex.");
        }
        BigInteger key = new BigInteger(hex, 16);
        if (key.signum() == 0) {
            throw new IllegalArgumentException("The wallet key cannot be zero.");
        }
        return new Wallet(ECKeyPair.create(key));
    }

    /**
     * {@return the wallet named by {@code BLOCKRUN_WALLET_KEY} (or {@code BASE_CHAIN_WALLET_KEY})}
     *
     * @throws IllegalStateException when neither is set
     * @throws IllegalArgumentException when the variable is set but is not a valid key
     */
    public static Wallet fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The wallet named in {@code environment}, as {@link #fromEnvironment()} reads the process environment.
     *
     * @param environment variable names to values; {@code BLOCKRUN_WALLET_KEY} wins over {@code BASE_CHAIN_WALLET_KEY}
     * @return the wallet of the first variable set and not blank
     * @throws IllegalStateException when neither is set
     * @throws IllegalArgumentException when the variable is set but is not a valid key
     */
    public static Wallet fromEnvironment(Map<String, String> environment) {
        return fromEnvironmentIfPresent(environment).orElseThrow(() -> new IllegalStateException(
                "Wallet required: set " + KEY_VARIABLE + " (or " + LEGACY_KEY_VARIABLE + ") to the paying wallet's private key."));
    }

    /** {@return the wallet of {@code BLOCKRUN_WALLET_KEY} (or {@code BASE_CHAIN_WALLET_KEY}), or empty when neither is set} */
    public static Optional<Wallet> fromEnvironmentIfPresent() {
        return fromEnvironmentIfPresent(System.getenv());
    }

    /**
     * The wallet named in {@code environment}, when one is.
     *
     * @param environment variable names to values; {@code BLOCKRUN_WALLET_KEY} wins over {@code BASE_CHAIN_WALLET_KEY}
     * @return the wallet of the first variable set and not blank, or empty when neither is
     * @throws IllegalArgumentException when the variable is set but is not a valid key
     */
    public static Optional<Wallet> fromEnvironmentIfPresent(Map<String, String> environment) {
        for (String name : new String[] {KEY_VARIABLE, LEGACY_KEY_VARIABLE}) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                try {
                    return Optional.of(fromHex(value));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + " is not a valid key: " + e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A wallet from a web3j (Ethereum V3) keystore file.
     *
     * @param file the keystore JSON file
     * @param password the password the keystore was encrypted with
     * @return the wallet of the decrypted key
     * @throws IllegalArgumentException when the file does not exist or cannot be read
     */
    public static Wallet fromKeystore(Path file, String password) {
        ensureNotNull(file, "file");
        ensureNotNull(password, "password");
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("Keystore file " + file + " does not exist or cannot be read.");
        }
        return new Wallet(ECKeyPair.create(Keystore.decrypt(file, password)));
    }

    /** {@return a new random wallet, for development (for instance an emulator session)} Its key is not saved anywhere: it is lost with the wallet. */
    public static Wallet random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new Wallet(ECKeyPair.create(key));
    }

    /** {@return the address, EIP-55 checksummed} */
    public String address() {
        return address;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Wallet && ((Wallet) other).address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return "Wallet{address=" + address + "}";
    }
}
