package io.sandbox402.x402.internal;

import java.math.BigInteger;
import java.util.HexFormat;
import org.web3j.utils.Numeric;

/** ABI encoding of the few static types EIP-712 needs here: 32-byte words. Stateless and thread-safe. */
public final class Abi {
    private static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    private static final HexFormat HEX = HexFormat.of();

    private Abi() {}

    /** The 32-byte big-endian word of {@code value}; throws IllegalArgumentException outside uint256. */
    public static byte[] uint256(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(MAX_UINT256) > 0) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        return Numeric.toBytesPadded(value, 32);
    }

    /** The 32-byte word of a {@code 0x} address; throws IllegalArgumentException, naming {@code name}, when it is none. */
    public static byte[] address(String address, String name) {
        if (!isHex(address, 40)) {
            throw new IllegalArgumentException(name + " must be an address (0x and 40 hex digits), was " + address);
        }
        byte[] word = new byte[32];
        System.arraycopy(HEX.parseHex(address, 2, 42), 0, word, 12, 20);
        return word;
    }

    /** The 32 bytes of {@code 0x} and 64 hex digits; throws IllegalArgumentException, naming {@code name}, otherwise. */
    public static byte[] bytes32(String hex, String name) {
        if (!isHex(hex, 64)) {
            throw new IllegalArgumentException(name + " must be 32 bytes (0x and 64 hex digits), was " + hex);
        }
        return HEX.parseHex(hex, 2, 66);
    }

    /** {@code 0x} (or {@code 0X}) and exactly {@code digits} hex digits: what the patterns matched, without a matcher. */
    private static boolean isHex(String text, int digits) {
        if (text == null || text.length() != digits + 2 || text.charAt(0) != '0' || (text.charAt(1) | 0x20) != 'x') {
            return false;
        }
        for (int i = 2; i < text.length(); i++) {
            char c = text.charAt(i);
            char lower = (char) (c | 0x20);
            if (!(c >= '0' && c <= '9') && !(lower >= 'a' && lower <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} fits a uint256. */
    public static boolean isUint256(BigInteger value) {
        return value.signum() >= 0 && value.compareTo(MAX_UINT256) <= 0;
    }

    /** The parts one after another. */
    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
