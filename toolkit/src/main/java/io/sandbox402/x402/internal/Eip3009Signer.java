package io.sandbox402.x402.internal;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.x402.Wallet;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
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
        if (signature == null || !signature.matches("0[xX][0-9a-fA-F]{130}")) {
            throw new IllegalArgumentException("signature must be 0x and 130 hex digits");
        }
        byte[] bytes = Numeric.hexStringToByteArray(signature);
        byte v = bytes[64];
        if (v < 27) {
            v += 27; // some signers send the recovery id (0 or 1) instead of v
        }
        Sign.SignatureData data = new Sign.SignatureData(
                v, Arrays.copyOfRange(bytes, 0, 32), Arrays.copyOfRange(bytes, 32, 64));
        try {
            BigInteger publicKey = Sign.signedMessageHashToKey(digest(domain, authorization), data);
            return Keys.toChecksumAddress(Keys.getAddress(publicKey));
        } catch (SignatureException | RuntimeException e) {
            throw new IllegalArgumentException("signature recovers no key: " + e.getMessage());
        }
    }
}
