package io.sandbox402.x402.internal;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

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

    /**
     * The public key that signed {@code hash} with {@code (r, s)} and recovery id 0 or 1, as web3j's
     * {@code Sign.recoverFromSignature} computes it ({@code Q = r⁻¹(s·R − e·G)}, R the point with x = r
     * and y of that parity) without its check that {@code n·R} is infinity: secp256k1's cofactor is 1,
     * so every point on the curve passes it, and it costs a full multiplication. {@code null} when no
     * point has x = r, or Q is infinity.
     *
     * @throws IllegalArgumentException when r is not in [1, n) or the recovery id is not 0 or 1
     */
    static ECPoint recover(byte[] hash, BigInteger r, BigInteger s, int recoveryId) {
        if (r.signum() <= 0 || r.compareTo(N) >= 0 || (recoveryId & ~1) != 0) {
            throw new IllegalArgumentException("r must be in [1, n) and the recovery id 0 or 1");
        }
        byte[] compressed = new byte[33];
        compressed[0] = (byte) (recoveryId == 1 ? 0x03 : 0x02);
        BigIntegers.asUnsignedByteArray(r, compressed, 1, 32);
        ECPoint bigR;
        try {
            bigR = CURVE.getCurve().decodePoint(compressed);
        } catch (IllegalArgumentException e) {
            return null; // x = r is not on the curve
        }
        BigInteger rInverse = BigIntegers.modOddInverseVar(N, r);
        BigInteger minusE = N.subtract(new BigInteger(1, hash).mod(N)).mod(N);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(G, minusE.multiply(rInverse).mod(N), bigR, s.multiply(rInverse).mod(N))
                .normalize();
        return q.isInfinity() ? null : q;
    }

    /**
     * Whether {@link #recover} would give the key whose multiples {@code publicKey} holds, checked the way
     * ECDSA verifies: {@code R' = (e/s)·G + (r/s)·Q} must be the point R that recovery starts from (x = r,
     * y of the recovery id's parity). Equivalent for s in [1, n): Q = r⁻¹(s·R − e·G) exactly when
     * R = s⁻¹(e·G + r·Q). Costs no square root (R's decompression), no hashing, and no doubling: both
     * products come from tables of multiples (the scalars are public, so table lookups may depend on them).
     */
    static boolean verifies(byte[] hash, BigInteger r, BigInteger s, int recoveryId, FixedBaseTable publicKey) {
        if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0 || (recoveryId & ~1) != 0) {
            return false;
        }
        BigInteger sInverse = BigIntegers.modOddInverseVar(N, s);
        BigInteger e = new BigInteger(1, hash);
        ECPoint bigR = GeneratorTable.TABLE.multiply(e.multiply(sInverse).mod(N))
                .add(publicKey.multiply(r.multiply(sInverse).mod(N)))
                .normalize();
        return !bigR.isInfinity()
                && bigR.getAffineXCoord().toBigInteger().equals(r)
                && bigR.getAffineYCoord().testBitZero() == (recoveryId == 1);
    }

    /** Multiples of G for verification, 8-bit windows (32 additions a product, about 1.5 MB), built on first use. */
    private static final class GeneratorTable {
        static final FixedBaseTable TABLE = new FixedBaseTable(G, 8);
    }

    /** The Ethereum address of {@code publicKey}, EIP-55 checksummed: the last 20 bytes of keccak256(x ‖ y). */
    static String address(ECPoint publicKey) {
        byte[] encoded = publicKey.getEncoded(false); // 0x04 ‖ x ‖ y
        byte[] hash = Hash.sha3(encoded, 1, 64);
        return Keys.toChecksumAddress(Numeric.toHexString(hash, 12, 20, true));
    }

    /** web3j's signature, found by trial recovery: the reference the fast path must equal. */
    static byte[] web3j(byte[] hash, ECKeyPair keyPair) {
        Sign.SignatureData data = Sign.signMessage(hash, keyPair, false);
        return Abi.concat(data.getR(), data.getS(), data.getV());
    }
}
