package io.sandbox402.x402.internal;

import static io.sandbox402.internal.Checks.ensureNotNull;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Hash;

/**
 * An EIP-3009 {@code TransferWithAuthorization}: the payer allows {@code value} USDC units to move
 * to {@code to} once, between two times.
 *
 * <p>Immutable and thread-safe.
 *
 * @param from the payer
 * @param to the payee
 * @param value atomic USDC units (6 decimals: 10000 is $0.01)
 * @param validAfter seconds since the epoch after which it may be used
 * @param validBefore seconds since the epoch before which it must be used
 * @param nonce 32 random bytes as {@code 0x} and 64 hex digits, unique per payer
 */
public record Authorization(String from, String to, BigInteger value, long validAfter, long validBefore, String nonce) {

    /** {@code keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")}. */
    private static final byte[] TYPE_HASH = Hash.sha3(
            "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
                    .getBytes(StandardCharsets.UTF_8));

    /**
     * Checks the components.
     *
     * @param from the payer
     * @param to the payee
     * @param value atomic USDC units (6 decimals: 10000 is $0.01)
     * @param validAfter seconds since the epoch after which it may be used
     * @param validBefore seconds since the epoch before which it must be used
     * @param nonce 32 random bytes as {@code 0x} and 64 hex digits, unique per payer
     * @throws IllegalArgumentException when an address is not {@code 0x} and 40 hex digits, {@code value}
     *     is not a uint256, a time is negative or {@code nonce} is not 32 bytes of hex
     */
    public Authorization {
        Abi.address(from, "from");
        Abi.address(to, "to");
        ensureNotNull(value, "value");
        if (!Abi.isUint256(value)) {
            throw new IllegalArgumentException("value must be a uint256, was " + value);
        }
        if (validAfter < 0 || validBefore < 0) {
            throw new IllegalArgumentException("validAfter and validBefore cannot be negative");
        }
        Abi.bytes32(nonce, "nonce");
    }

    /** {@code hashStruct(message)}. */
    byte[] structHash() {
        return Hash.sha3(Abi.concat(
                TYPE_HASH,
                Abi.address(from, "from"),
                Abi.address(to, "to"),
                Abi.uint256(value),
                Abi.uint256(BigInteger.valueOf(validAfter)),
                Abi.uint256(BigInteger.valueOf(validBefore)),
                Abi.bytes32(nonce, "nonce")));
    }
}
