package io.sandbox402.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.Usdc;
import io.sandbox402.x402.internal.PaymentPayload;
import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.PaymentRequirements;
import io.sandbox402.x402.internal.SettleResponse;
import io.sandbox402.x402.internal.X402Codec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The x402 side of the emulator, as BlockRun's server does it: quote with a 402, verify a payment with
 * {@link PaymentVerifier}, then {@link #claim} it before the call runs (the nonce claimed and the value
 * reserved, atomically, so one payment runs one call), and finally {@link #settle} it when the call
 * succeeded or {@link #release} it when it failed (nothing charged, the authorization usable again).
 */
final class PaymentGate {
    private final Network network;
    private final String payTo;
    private final int x402Version;
    private final Balances balances;
    private final PaymentVerifier verifier;

    PaymentGate(Network network, String payTo, int x402Version, Balances balances, Clock clock) {
        this.network = network;
        this.payTo = payTo;
        this.x402Version = x402Version;
        this.balances = balances;
        this.verifier = new PaymentVerifier(clock, balances::available);
    }

    int x402Version() {
        return x402Version;
    }

    Network network() {
        return network;
    }

    PaymentRequirements requirements(BigInteger amount) {
        return PaymentRequirements.exact(network, amount, payTo);
    }

    PaymentRequired paymentRequired(String url, String description, BigInteger amount, String error) {
        ObjectNode resource = ApiResponse.JSON.createObjectNode();
        resource.put("url", url);
        resource.put("description", description);
        resource.put("mimeType", "application/json");
        return new PaymentRequired(x402Version, error, resource, List.of(requirements(amount)), ApiResponse.JSON.createObjectNode());
    }

    /** The header that carries payments in this emulator's version. */
    String paymentHeader() {
        return x402Version == 1 ? X402Codec.X_PAYMENT : X402Codec.PAYMENT_SIGNATURE;
    }

    String settlementHeader() {
        return x402Version == 1 ? X402Codec.X_PAYMENT_RESPONSE : X402Codec.PAYMENT_RESPONSE;
    }

    Verification verify(PaymentPayload payload, BigInteger amount) {
        if (payload.x402Version() != x402Version) {
            return Verification.invalid("invalid_x402_version", payload.authorization().from());
        }
        return verifier.verify(payload, requirements(amount));
    }

    /**
     * Claims the nonce and reserves the value before the call runs; the reason when it cannot:
     * {@code invalid_transaction_state} (another call has this authorization) or {@code insufficient_funds}
     * (calls under way hold the rest of the balance). {@code null} when claimed.
     */
    String claim(PaymentPayload payload) {
        String payer = payload.authorization().from();
        if (!verifier.markUsed(payer, payload.authorization().nonce())) {
            return "invalid_transaction_state";
        }
        if (!balances.reserve(payer, payload.authorization().value())) {
            verifier.release(payer, payload.authorization().nonce());
            return "insufficient_funds";
        }
        return null;
    }

    /** The call failed or could not settle: the reservation and the nonce go back, nothing is charged. */
    void release(PaymentPayload payload) {
        balances.release(payload.authorization().from(), payload.authorization().value());
        verifier.release(payload.authorization().from(), payload.authorization().nonce());
    }

    /** Debits a claimed payment; the nonce stays used. */
    SettleResponse settle(PaymentPayload payload) {
        String payer = payload.authorization().from();
        balances.settle(payer, payload.authorization().value());
        String transaction = Numeric.toHexString(Hash.sha3((payer.toLowerCase() + payload.authorization().nonce())
                .getBytes(StandardCharsets.UTF_8)));
        return new SettleResponse(true, transaction, network.id(x402Version), payer, null);
    }

    /**
     * BlockRun's code for a refused payment: {@code PAYMENT_REPLAY} for a used authorization,
     * {@code PAYMENT_UNFUNDED} for too little USDC or a {@code validBefore} that passed,
     * {@code PAYMENT_BLOCKHASH_STALE} for a stale blockhash (only played by {@link Fault#rejectPayment}),
     * {@code PAYMENT_INVALID} for everything else.
     */
    static String code(String reason) {
        if (reason == null) {
            return "PAYMENT_INVALID";
        }
        if (reason.equals("invalid_transaction_state")) {
            return "PAYMENT_REPLAY";
        }
        if (reason.equals("insufficient_funds") || reason.endsWith("_valid_before")) {
            return "PAYMENT_UNFUNDED";
        }
        if (reason.contains("blockhash")) {
            return "PAYMENT_BLOCKHASH_STALE";
        }
        return "PAYMENT_INVALID";
    }

    /** The human message that goes with {@link #code}. */
    static String message(String reason, BigInteger price) {
        return switch (code(reason)) {
            case "PAYMENT_REPLAY" -> "This payment authorization was already used. Sign a fresh one for each request.";
            case "PAYMENT_UNFUNDED" -> reason.endsWith("_valid_before")
                    ? "The payment authorization has expired (validBefore passed). Sign a fresh one."
                    : "The payer's USDC balance does not cover " + usd(price) + ". Fund the wallet and sign a fresh payment.";
            case "PAYMENT_BLOCKHASH_STALE" -> "The payment's blockhash is stale. Sign a fresh one.";
            default -> "The payment is invalid (" + reason + "). Sign it again from the 402's requirements.";
        };
    }

    /** {@code $0.011}: the toolkit's one money format. */
    static String usd(BigInteger amount) {
        return Usdc.format(Usdc.toUsd(amount));
    }
}
