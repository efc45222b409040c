package io.sandbox402.x402.internal;

import java.math.BigInteger;
import java.util.HexFormat;
import org.bouncycastle.util.BigIntegers;
import org.web3j.crypto.Sign;

/**
 * A 65-byte Ethereum signature {@code r ‖ s ‖ v} parsed from {@code 0x} and 130 hex digits; a v of 0
 * or 1 is read as 27 or 28 (some signers send the recovery id instead of v).
 */
record Signature(BigInteger r, BigInteger s, byte v) {
    private static final BigInteger N = Sign.CURVE_PARAMS.getN();

    /** @throws IllegalArgumentException when {@code hex} is not {@code 0x} and 130 hex digits */
    static Signature parse(String hex) {
        if (hex == null || hex.length() != 132 || hex.charAt(0) != '0' || (hex.charAt(1) != 'x' && hex.charAt(1) != 'X')) {
            throw new IllegalArgumentException("signature must be 0x and 130 hex digits");
        }
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex, 2, 132);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signature must be 0x and 130 hex digits");
        }
        byte v = bytes[64];
        if (v < 27) {
            v += 27;
        }
        return new Signature(new BigInteger(1, bytes, 0, 32), new BigInteger(1, bytes, 32, 32), v);
    }

    byte[] rBytes() {
        return BigIntegers.asUnsignedByteArray(32, r);
    }

    byte[] sBytes() {
        return BigIntegers.asUnsignedByteArray(32, s);
    }

    /** 0 or 1 for v = 27 or 28; other values are left to web3j (v up to 34 names x = r + n). */
    int recoveryId() {
        return v - 27;
    }

    /** Whether {@code Secp256k1.recover} applies: recovery id 0 or 1, r and s in [1, n). */
    boolean fastRecoverable() {
        return (v == 27 || v == 28) && r.signum() > 0 && r.compareTo(N) < 0 && s.signum() > 0 && s.compareTo(N) < 0;
    }
}
