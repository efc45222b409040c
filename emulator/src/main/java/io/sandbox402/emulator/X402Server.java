package io.sandbox402.emulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.MalformedPaymentRequestException;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.internal.Abi;
import io.sandbox402.x402.internal.Authorization;
import io.sandbox402.x402.internal.Json;
import io.sandbox402.x402.internal.PaymentHeader;
import io.sandbox402.x402.internal.PaymentPayload;
import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.PaymentRequirements;
import io.sandbox402.x402.internal.SettleResponse;
import io.sandbox402.x402.internal.X402Codec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The server half of x402's wire format: the 402's requirements (version 2 header or version 1 body),
 * the payment header a client sends, and the settlement header. The client half, which reads the first
 * and last and writes the second, is the toolkit's {@code X402Codec}; both bind JSON to records through
 * the toolkit's shared mapper.
 */
final class X402Server {
    private X402Server() {}

    /** The {@code PAYMENT-REQUIRED} header value of {@code required}. */
    static String encodePaymentRequired(PaymentRequired required) {
        return Base64.getEncoder().encodeToString(write(paymentRequiredJson(required)));
    }

    /** The JSON body of a 402: the whole requirements object (how version 1 servers send it). */
    static byte[] paymentRequiredBody(PaymentRequired required) {
        return write(paymentRequiredJson(required));
    }

    /** The {@code PAYMENT-RESPONSE} header value. */
    static String encodeSettle(SettleResponse settle) {
        return Base64.getEncoder().encodeToString(write(settle));
    }

    /**
     * Reads a {@code PAYMENT-SIGNATURE} or {@code X-PAYMENT} header.
     *
     * @throws MalformedPaymentRequestException when it is unreadable or a value is missing or invalid
     */
    static PaymentPayload decodePayment(String header) {
        PaymentHeader wire = X402Codec.decodeHeader(header, "payment header", PaymentHeader.class);
        String scheme;
        String network;
        JsonNode accepted = null;
        if (wire.x402Version() == 2) {
            accepted = wire.accepted();
            if (accepted == null || !accepted.isObject()) {
                throw new MalformedPaymentRequestException("The payment header lacks 'accepted'.");
            }
            scheme = required(accepted.path("scheme").isValueNode() ? accepted.path("scheme").asText() : null, "scheme", "accepted");
            network = required(accepted.path("network").isValueNode() ? accepted.path("network").asText() : null, "network", "accepted");
        } else if (wire.x402Version() == 1) {
            scheme = required(wire.scheme(), "scheme", "payment");
            network = required(wire.network(), "network", "payment");
        } else {
            throw new MalformedPaymentRequestException("Unsupported x402Version " + wire.x402Version() + " in the payment header.");
        }
        PaymentHeader.Payload payload = wire.payload();
        PaymentHeader.Transfer transfer = payload == null ? null : payload.authorization();
        if (transfer == null) {
            throw new MalformedPaymentRequestException("The payment header lacks 'payload.authorization'.");
        }
        Authorization authorization;
        try {
            authorization = new Authorization(
                    required(transfer.from(), "from", "authorization"),
                    required(transfer.to(), "to", "authorization"),
                    atomic(transfer.value(), "authorization.value"),
                    atomic(transfer.validAfter(), "authorization.validAfter").longValueExact(),
                    atomic(transfer.validBefore(), "authorization.validBefore").longValueExact(),
                    required(transfer.nonce(), "nonce", "authorization"));
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new MalformedPaymentRequestException("The payment's authorization is invalid: " + e.getMessage(), e);
        }
        return new PaymentPayload(wire.x402Version(), scheme, network, object(wire.resource()), object(accepted),
                required(payload.signature(), "signature", "payload"), authorization, object(wire.extensions()));
    }

    private static PaymentRequiredJson paymentRequiredJson(PaymentRequired required) {
        boolean v1 = required.x402Version() == 1;
        List<Object> accepts = new ArrayList<>();
        for (PaymentRequirements entry : required.accepts()) {
            accepts.add(v1 ? v1Entry(entry, required.resource()) : entry.raw());
        }
        return new PaymentRequiredJson(required.x402Version(), required.error(), v1 ? null : required.resource(), accepts,
                v1 ? null : required.extensions() == null ? Json.MAPPER.createObjectNode() : required.extensions());
    }

    private static V1Entry v1Entry(PaymentRequirements entry, JsonNode resource) {
        return new V1Entry(entry.scheme(),
                Network.fromId(entry.network()).map(Network::v1Name).orElse(entry.network()),
                entry.amount().toString(),
                resource == null ? "" : resource.path("url").asText(""),
                resource == null ? "" : resource.path("description").asText(""),
                resource == null ? "application/json" : resource.path("mimeType").asText("application/json"),
                entry.payTo(), entry.maxTimeoutSeconds(), entry.asset(), entry.extra());
    }

    private static String required(String value, String field, String where) {
        if (value == null || value.isBlank()) {
            throw new MalformedPaymentRequestException(where + " lacks '" + field + "'.");
        }
        return value;
    }

    /** A whole non-negative number within uint256, sent as a decimal string or a JSON integer. */
    private static BigInteger atomic(String text, String where) {
        if (text == null) {
            throw new MalformedPaymentRequestException(where + " is missing.");
        }
        if (!text.matches("[0-9]{1,78}") || !Abi.isUint256(new BigInteger(text))) {
            throw new MalformedPaymentRequestException(
                    where + " must be a whole non-negative number of atomic units within uint256, was '"
                            + (text.length() <= 80 ? text : text.substring(0, 77) + "...") + "'.");
        }
        return new BigInteger(text);
    }

    private static ObjectNode object(JsonNode node) {
        return node != null && node.isObject() ? (ObjectNode) node : null;
    }

    private static byte[] write(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 402's requirements as written. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record PaymentRequiredJson(int x402Version, String error, JsonNode resource, List<Object> accepts,
            JsonNode extensions) {}

    /** A version 1 {@code accepts} entry: the resource is repeated in each, the amount is the maximum. */
    private record V1Entry(String scheme, String network, String maxAmountRequired, String resource, String description,
            String mimeType, String payTo, int maxTimeoutSeconds, String asset, Map<String, Object> extra) {}
}
