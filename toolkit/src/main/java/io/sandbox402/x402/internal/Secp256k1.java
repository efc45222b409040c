package io.sandbox402.x402.internal;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * Ethereum signatures of a 32-byte hash, byte for byte what web3j's {@code Sign.signMessage(hash,
 * keyPair, false)} returns, in about a fifth of its time.
 *
 * <p>web3j signs with BouncyCastle's {@code ECDSASigner} and then finds the recovery id by trial:
 * it recovers public keys from the signature until one matches, two or more point multiplications
 * that cost most of a signature. Here the signature is computed the way {@code ECDSASigner} does
 * (deterministic k from RFC 6979 with HMAC-SHA256, {@code R = k·G}, {@code r = R.x mod n},
 * {@code s = k⁻¹(e + r·d) mod n}), keeping R: the recovery id is the parity of R's y coordinate,
 * flipped when s is replaced by {@code n − s} to make it low. When {@code R.x ≥ n} (probability about
 * 2⁻¹²⁸) the recovery id would also need the overflow bit, so that case falls back to web3j.
 */
final class Secp256k1 {
    private static final X9ECParameters CURVE = Sign.CURVE_PARAMS;
    private static final BigInteger N = CURVE.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);
    private static final ECPoint G = CURVE.getG();
    /** The multiplier {@code ECDSASigner} uses: a comb over a table of multiples of G, built once per curve. */
    private static final ECMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

    private Secp256k1() {}

    /**
     * Signs {@code hash} with {@code keyPair}: {@code r ‖ s ‖ v}, 65 bytes, low s, v = 27 or 28.
     *
     * @throws IllegalArgumentException when {@code hash} is not 32 bytes
     */
    static byte[] sign(byte[] hash, ECKeyPair keyPair) {
        if (hash.length != 32) {
            throw new IllegalArgumentException("hash must be 32 bytes, was " + hash.length);
        }
        BigInteger d = keyPair.getPrivateKey();
        // ECDSASigner.calculateE: the hash as an unsigned integer; 256 bits, like n, so nothing is cut.
        BigInteger e = new BigInteger(1, hash);
        HMacDSAKCalculator kCalculator = new HMacDSAKCalculator(new SHA256Digest());
        kCalculator.init(N, d, hash);
        BigInteger r;
        BigInteger s;
        ECPoint point;
        do {
            BigInteger k;
            do {
                k = kCalculator.nextK();
                point = BASE_MULTIPLIER.multiply(G, k).normalize();
                r = point.getAffineXCoord().toBigInteger().mod(N);
            } while (r.signum() == 0);
            s = BigIntegers.modOddInverse(N, k).multiply(e.add(d.multiply(r))).mod(N);
        } while (s.signum() == 0);
        if (point.getAffineXCoord().toBigInteger().compareTo(N) >= 0) {
            return web3j(hash, keyPair); // R.x overflowed n: the recovery id needs the second bit
        }
        int recoveryId = point.getAffineYCoord().testBitZero() ? 1 : 0;
        if (s.compareTo(HALF_N) > 0) {
            s = N.subtract(s); // the signature of −R: the y parity flips
            recoveryId ^= 1;
        }
        byte[] signature = new byte[65];
        BigIntegers.asUnsignedByteArray(r, signature, 0, 32);
        BigIntegers.asUnsignedByteArray(s, signature, 32, 32);
        signature[64] = (byte) (27 + recoveryId);
        return signature;
    }

    /** web3j's signature, found by trial recovery: the reference the fast path must equal. */
    static byte[] web3j(byte[] hash, ECKeyPair keyPair) {
        Sign.SignatureData data = Sign.signMessage(hash, keyPair, false);
        return Abi.concat(data.getR(), data.getS(), data.getV());
    }
}
