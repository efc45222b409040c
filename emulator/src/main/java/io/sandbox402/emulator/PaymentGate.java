package io.sandbox402.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.PaymentPayload;
import io.sandbox402.x402.PaymentRequired;
import io.sandbox402.x402.PaymentRequirements;
import io.sandbox402.x402.SettleResponse;
import io.sandbox402.x402.X402Codec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The x402 side of the emulator, as BlockRun's server does it: quote with a 402, verify a payment
 * with {@link PaymentVerifier}, and settle it (consume the nonce, debit the balance) once the call
 * succeeded.
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
        this.verifier = new PaymentVerifier(clock, balances::of);
    }

    int x402Version() {
        return x402Version;
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

    /** Consumes the nonce and debits the payer; a lost race or an emptied balance fails the settlement. */
    SettleResponse settle(PaymentPayload payload) {
        String payer = payload.authorization().from();
        if (!verifier.markUsed(payer, payload.authorization().nonce())) {
            return new SettleResponse(false, null, network.id(x402Version), payer, "invalid_transaction_state");
        }
        if (!balances.debit(payer, payload.authorization().value())) {
            return new SettleResponse(false, null, network.id(x402Version), payer, "insufficient_funds");
        }
        String transaction = Numeric.toHexString(Hash.sha3((payer.toLowerCase() + payload.authorization().nonce())
                .getBytes(StandardCharsets.UTF_8)));
        return new SettleResponse(true, transaction, network.id(x402Version), payer, null);
    }

    /** BlockRun's human quote in the 402 body: {@code {"error":"Payment Required","price":{"amount":"0.0010","currency":"USD"}}}. */
    static ObjectNode quoteBody(String error, String details, BigInteger amount) {
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("error", error);
        if (details != null) {
            body.put("details", details);
        }
        ObjectNode price = body.putObject("price");
        price.put("amount", new BigDecimal(amount, 6).setScale(4, java.math.RoundingMode.UP).toPlainString());
        price.put("currency", "USD");
        return body;
    }
}
