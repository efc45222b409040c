package io.sandbox402.emulator;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.x402.Network;
import io.sandbox402.x402.internal.Authorization;
import io.sandbox402.x402.internal.Eip3009Signer;
import io.sandbox402.x402.internal.PaymentPayload;
import io.sandbox402.x402.internal.PaymentRequirements;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Verifies {@code exact} EVM payments the way an x402 facilitator does, without a chain: the checks
 * run in the reference order and the first that fails gives its reason string.
 *
 * <ol>
 *   <li>{@code invalid_scheme}: the scheme is {@code exact} and matches the requirement;</li>
 *   <li>{@code invalid_network}: the network matches;</li>
 *   <li>{@code invalid_exact_evm_payload_signature}: the EIP-712 signature is low-s and recovers to {@code from};</li>
 *   <li>{@code invalid_exact_evm_payload_recipient_mismatch}: {@code to} is {@code payTo};</li>
 *   <li>{@code invalid_exact_evm_payload_authorization_valid_before}: at least 6 s of validity are left;</li>
 *   <li>{@code invalid_exact_evm_payload_authorization_valid_after}: it is already valid;</li>
 *   <li>{@code invalid_exact_evm_payload_authorization_value}: the value is the price;</li>
 *   <li>{@code invalid_transaction_state}: {@code (from, nonce)} was never used (no replay);</li>
 *   <li>{@code insufficient_funds}: the payer's balance covers the value.</li>
 * </ol>
 *
 * <p>A high-s signature ({@code s > n/2}) is refused although it recovers the same key: USDC's
 * {@code ecrecover} path rejects it on chain (OpenZeppelin's {@code ECDSA.recover}, EIP-2), so such a
 * payment could never settle.
 *
 * <p>{@link #markUsed} claims a nonce before the paid call runs; it is atomic, so of concurrent calls
 * with one authorization only one runs. {@link #release} gives the nonce back when the call failed and
 * the authorization was never submitted.
 */
public final class PaymentVerifier {
    /** A facilitator needs a few seconds to get the transfer on chain before validBefore passes. */
    static final long MIN_VALIDITY_SECONDS = 6;
    /** Half the order of secp256k1: the largest {@code s} a canonical (low-s) signature has. */
    static final BigInteger HALF_N = new BigInteger("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", 16);

    private final Clock clock;
    private final Function<String, BigInteger> balanceOf;
    private final Set<String> usedNonces = ConcurrentHashMap.newKeySet();

    /**
     * @param clock the time the validity window is checked against
     * @param balanceOf the payer's USDC balance in atomic units, by checksummed address
     */
    public PaymentVerifier(Clock clock, Function<String, BigInteger> balanceOf) {
        this.clock = ensureNotNull(clock, "clock");
        this.balanceOf = ensureNotNull(balanceOf, "balanceOf");
    }

    /**
     * Runs the checks above in order; claims nothing, so a valid payment still needs {@link #markUsed}.
     *
     * @param payload the client's signed payment
     * @param required what the resource asks for
     * @return valid, or invalid with the first failed check's reason; either way with the payer
     */
    public Verification verify(PaymentPayload payload, PaymentRequirements required) {
        Authorization authorization = payload.authorization();
        String payer = authorization.from();
        if (!PaymentRequirements.EXACT.equals(payload.scheme()) || !required.scheme().equals(payload.scheme())) {
            return Verification.invalid("invalid_scheme", payer);
        }
        Optional<Network> network = Network.fromId(payload.network());
        if (network.isEmpty() || !network.equals(Network.fromId(required.network()))) {
            return Verification.invalid("invalid_network", payer);
        }
        if (isHighS(payload.signature())) {
            return Verification.invalid("invalid_exact_evm_payload_signature", payer);
        }
        if (!Eip3009Signer.isSignedByPayer(required.domain(network.get()), authorization, payload.signature())) {
            return Verification.invalid("invalid_exact_evm_payload_signature", payer);
        }
        if (!authorization.to().equalsIgnoreCase(required.payTo())) {
            return Verification.invalid("invalid_exact_evm_payload_recipient_mismatch", payer);
        }
        long now = clock.instant().getEpochSecond();
        if (authorization.validBefore() < now + MIN_VALIDITY_SECONDS) {
            return Verification.invalid("invalid_exact_evm_payload_authorization_valid_before", payer);
        }
        if (authorization.validAfter() > now) {
            return Verification.invalid("invalid_exact_evm_payload_authorization_valid_after", payer);
        }
        if (!authorization.value().equals(required.amount())) {
            return Verification.invalid("invalid_exact_evm_payload_authorization_value", payer);
        }
        if (usedNonces.contains(nonceKey(payer, authorization.nonce()))) {
            return Verification.invalid("invalid_transaction_state", payer);
        }
        BigInteger balance = balanceOf.apply(payer);
        if (balance == null || balance.compareTo(authorization.value()) < 0) {
            return Verification.invalid("insufficient_funds", payer);
        }
        return Verification.valid(payer);
    }

    /**
     * Claims {@code (from, nonce)}, atomically.
     *
     * @param from the payer's address
     * @param nonce the authorization's nonce
     * @return {@code false} when it was already claimed
     */
    public boolean markUsed(String from, String nonce) {
        return usedNonces.add(nonceKey(from, nonce));
    }

    /**
     * Gives back a claimed {@code (from, nonce)}: the call failed and the authorization was not submitted.
     *
     * @param from the payer's address
     * @param nonce the authorization's nonce
     */
    public void release(String from, String nonce) {
        usedNonces.remove(nonceKey(from, nonce));
    }

    private static boolean isHighS(String signature) {
        if (signature == null || signature.length() != 132) {
            return false; // malformed: the signature check refuses it with the same reason
        }
        try {
            return new BigInteger(signature.substring(66, 130), 16).compareTo(HALF_N) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String nonceKey(String from, String nonce) {
        return from.toLowerCase(Locale.ROOT) + "/" + nonce.toLowerCase(Locale.ROOT);
    }
}
