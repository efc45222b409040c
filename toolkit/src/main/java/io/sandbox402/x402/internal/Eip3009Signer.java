package io.sandbox402.x402.internal;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.x402.Wallet;
import java.math.BigInteger;
import java.security.SignatureException;
import org.bouncycastle.math.ec.ECPoint;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Signs and recovers EIP-3009 {@code TransferWithAuthorization} messages as EIP-712 typed data.
 * Signatures are deterministic (RFC 6979) and canonical (low s), {@code r ‖ s ‖ v} with v = 27 or 28,
 * byte for byte what web3j's {@code Sign.signMessage(digest, keyPair, false)} gives, but computed
 * without web3j's trial recovery of the recovery id (see {@code Secp256k1}); the domain separator
 * is computed once per domain.
 *
 * <p>Thread-safe.
 */
public final class Eip3009Signer {
    private final ECKeyPair keyPair;

    /** A signer with {@code wallet}'s key. */
    public Eip3009Signer(Wallet wallet) {
        this.keyPair = WalletKeys.of(ensureNotNull(wallet, "wallet"));
    }

    /** Signs {@code authorization} in {@code domain}; returns {@code 0x} and 130 hex digits. */
    public String sign(Eip712Domain domain, Authorization authorization) {
        return Numeric.toHexString(Secp256k1.sign(digest(domain, authorization), keyPair));
    }

    /** The EIP-712 digest that is signed. */
    public static byte[] digest(Eip712Domain domain, Authorization authorization) {
        return domain.digest(authorization.structHash());
    }

    /**
     * The address that signed {@code authorization} in {@code domain}, EIP-55 checksummed.
     *
     * @throws IllegalArgumentException when the signature is not 65 bytes or recovers no key
     */
    public static String recover(Eip712Domain domain, Authorization authorization, String signature) {
        Signature parsed = Signature.parse(signature);
        byte[] digest = digest(domain, authorization);
        if (parsed.fastRecoverable()) {
            ECPoint publicKey = Secp256k1.recover(digest, parsed.r(), parsed.s(), parsed.recoveryId());
            if (publicKey == null) {
                throw new IllegalArgumentException("signature recovers no key: no curve point has x = r");
            }
            return Secp256k1.address(publicKey);
        }
        Sign.SignatureData data = new Sign.SignatureData(parsed.v(), parsed.rBytes(), parsed.sBytes());
        try {
            BigInteger publicKey = Sign.signedMessageHashToKey(digest, data);
            return Keys.toChecksumAddress(Keys.getAddress(publicKey));
        } catch (SignatureException | RuntimeException e) {
            throw new IllegalArgumentException("signature recovers no key: " + e.getMessage());
        }
    }

    /**
     * Whether {@code signature} recovers to the payer, {@code authorization.from()}: the same answer
     * as comparing {@link #recover} with it, {@code false} for a malformed signature. For a payer seen
     * before (a bounded cache of public keys that recovery proved to be the payers'), it is checked as
     * ECDSA verifies, without recovering the key again; see {@code Secp256k1.verifies}.
     */
    public static boolean isSignedByPayer(Eip712Domain domain, Authorization authorization, String signature) {
        Signature parsed;
        try {
            parsed = Signature.parse(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] digest = digest(domain, authorization);
        if (!parsed.fastRecoverable()) {
            try {
                return recover(domain, authorization, signature).equalsIgnoreCase(authorization.from());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        FixedBaseTable known = PayerKeys.get(authorization.from());
        if (known != null) {
            return Secp256k1.verifies(digest, parsed.r(), parsed.s(), parsed.recoveryId(), known);
        }
        ECPoint publicKey = Secp256k1.recover(digest, parsed.r(), parsed.s(), parsed.recoveryId());
        if (publicKey == null || !Secp256k1.address(publicKey).equalsIgnoreCase(authorization.from())) {
            return false;
        }
        PayerKeys.put(authorization.from(), publicKey);
        return true;
    }
}
