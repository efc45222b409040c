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

    /**
     * A signer with {@code wallet}'s key.
     *
     * @param wallet the payer whose key signs
     */
    public Eip3009Signer(Wallet wallet) {
        this.keyPair = WalletKeys.of(ensureNotNull(wallet, "wallet"));
    }

    /**
     * Signs {@code authorization} in {@code domain}.
     *
     * @param domain the token's EIP-712 domain; a wrong name or version gives a signature the token rejects
     * @param authorization the transfer to allow; its {@code from} should be this signer's address
     * @return the 65-byte signature {@code r ‖ s ‖ v} as {@code 0x} and 130 hex digits
     */
    public String sign(Eip712Domain domain, Authorization authorization) {
        return Numeric.toHexString(Secp256k1.sign(digest(domain, authorization), keyPair));
    }

    /**
     * The EIP-712 digest that is signed.
     *
     * @param domain the token's EIP-712 domain
     * @param authorization the transfer
     * @return {@code keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(authorization))}, 32 bytes
     */
    public static byte[] digest(Eip712Domain domain, Authorization authorization) {
        return domain.digest(authorization.structHash());
    }

    /**
     * The address that signed {@code authorization} in {@code domain}, EIP-55 checksummed.
     *
     * @param domain the token's EIP-712 domain the signature was made in
     * @param authorization the signed transfer
     * @param signature {@code r ‖ s ‖ v} in hex, as {@link #sign} returns it
     * @return the signer's address, which a valid payment has as {@code authorization.from()}
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
     *
     * @param domain the token's EIP-712 domain the signature was made in
     * @param authorization the signed transfer, whose {@code from} is the claimed payer
     * @param signature {@code r ‖ s ‖ v} in hex, as received; may be malformed
     * @return true when the payer signed exactly this authorization in this domain
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
