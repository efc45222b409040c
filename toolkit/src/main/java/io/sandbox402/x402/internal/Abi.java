package io.sandbox402.x402.internal;

import java.math.BigInteger;
import java.util.HexFormat;
import org.web3j.utils.Numeric;

/** ABI encoding of the few static types EIP-712 needs here: 32-byte words. Stateless and thread-safe. */
public final class Abi {
    private static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    private static final HexFormat HEX = HexFormat.of();

    private Abi() {}

    /**
     * Encodes a {@code uint256}.
     *
     * @param value zero to 2<sup>256</sup> - 1
     * @return the 32-byte big-endian word of {@code value}
     * @throws IllegalArgumentException when {@code value} is negative or does not fit 256 bits
     */
    public static byte[] uint256(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(MAX_UINT256) > 0) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        return Numeric.toBytesPadded(value, 32);
    }

    /**
     * Encodes an {@code address}.
     *
     * @param address {@code 0x} and 40 hex digits, any case; the EIP-55 checksum is not checked
     * @param name what the address is, such as {@code payTo}, for the error message
     * @return the 32-byte word: 12 zero bytes, then the address's 20 bytes
     * @throws IllegalArgumentException when {@code address} is not {@code 0x} and 40 hex digits
     */
    public static byte[] address(String address, String name) {
        if (!isHex(address, 40)) {
            throw new IllegalArgumentException(name + " must be an address (0x and 40 hex digits), was " + address);
        }
        byte[] word = new byte[32];
        System.arraycopy(HEX.parseHex(address, 2, 42), 0, word, 12, 20);
        return word;
    }

    /**
     * Decodes a {@code bytes32}, such as a nonce.
     *
     * @param hex {@code 0x} and 64 hex digits, any case
     * @param name what the value is, such as {@code nonce}, for the error message
     * @return the 32 bytes
     * @throws IllegalArgumentException when {@code hex} is not {@code 0x} and 64 hex digits
     */
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

    /**
     * Whether {@code value} fits a uint256, without throwing as {@link #uint256(BigInteger)} does.
     *
     * @param value any integer
     * @return true when {@code value} is between zero and 2<sup>256</sup> - 1
     */
    public static boolean isUint256(BigInteger value) {
        return value.signum() >= 0 && value.compareTo(MAX_UINT256) <= 0;
    }

    /**
     * Concatenates byte arrays, as {@code abi.encode} lays out static words.
     *
     * @param parts the arrays, in order; none is modified
     * @return a new array with the parts one after another
     */
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
