package io.sandbox402.x402.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.regex.Pattern;
import org.web3j.utils.Numeric;

/** ABI encoding of the few static types EIP-712 needs here: 32-byte words. Stateless and thread-safe. */
public final class Abi {
    private static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    /** Compiled once: {@code String.matches} compiles its pattern on every call, on the signing path. */
    private static final Pattern ADDRESS = Pattern.compile("0[xX][0-9a-fA-F]{40}");
    private static final Pattern BYTES32 = Pattern.compile("0[xX][0-9a-fA-F]{64}");

    private Abi() {}

    /** The 32-byte big-endian word of {@code value}; throws IllegalArgumentException outside uint256. */
    public static byte[] uint256(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(MAX_UINT256) > 0) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        return Numeric.toBytesPadded(value, 32);
    }

    /** A 20-byte address, left-padded to a word; rejects anything that is not 0x + 40 hex digits. */
    /** The 32-byte word of a {@code 0x} address; throws IllegalArgumentException, naming {@code name}, when it is none. */
    public static byte[] address(String address, String name) {
        if (address == null || !ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException(name + " must be an address (0x and 40 hex digits), was " + address);
        }
        return Numeric.toBytesPadded(Numeric.toBigInt(address), 32);
    }

    /** The 32 bytes of {@code 0x} and 64 hex digits; throws IllegalArgumentException, naming {@code name}, otherwise. */
    public static byte[] bytes32(String hex, String name) {
        if (hex == null || !BYTES32.matcher(hex).matches()) {
            throw new IllegalArgumentException(name + " must be 32 bytes (0x and 64 hex digits), was " + hex);
        }
        return Numeric.hexStringToByteArray(hex);
    }

    /** Whether {@code value} fits a uint256. */
    public static boolean isUint256(BigInteger value) {
        return value.signum() >= 0 && value.compareTo(MAX_UINT256) <= 0;
    }

    /** The parts one after another. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
