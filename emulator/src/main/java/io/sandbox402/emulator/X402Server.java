package io.sandbox402.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.PaymentRequirements;
import io.sandbox402.x402.internal.SettleResponse;
import java.util.Base64;

/**
 * The server half of x402's wire format: the 402's requirements (version 2 header or version 1 body)
 * and the settlement header. The client half, which reads these, is the toolkit's {@code X402Codec}.
 */
final class X402Server {
    private X402Server() {}

    /** The {@code PAYMENT-REQUIRED} header value of {@code required}. */
    static String encodePaymentRequired(PaymentRequired required) {
        return encodeBase64(paymentRequiredJson(required));
    }

    /** The JSON body of a 402: the whole requirements object (how version 1 servers send it). */
    static byte[] paymentRequiredBody(PaymentRequired required) {
        return write(paymentRequiredJson(required));
    }

    private static ObjectNode paymentRequiredJson(PaymentRequired required) {
        ObjectNode root = ApiResponse.JSON.createObjectNode();
        root.put("x402Version", required.x402Version());
        if (required.error() != null) {
            root.put("error", required.error());
        }
        if (required.x402Version() == 2 && required.resource() != null) {
            root.set("resource", required.resource());
        }
        ArrayNode accepts = root.putArray("accepts");
        for (PaymentRequirements entry : required.accepts()) {
            if (required.x402Version() == 1) {
                accepts.add(v1Entry(entry, required.resource()));
            } else {
                accepts.add(entry.raw());
            }
        }
        if (required.x402Version() == 2) {
            root.set("extensions", required.extensions() == null ? ApiResponse.JSON.createObjectNode() : required.extensions());
        }
        return root;
    }

    private static ObjectNode v1Entry(PaymentRequirements entry, ObjectNode resource) {
        ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("scheme", entry.scheme());
        node.put("network", Network.fromId(entry.network()).map(Network::v1Name).orElse(entry.network()));
        node.put("maxAmountRequired", entry.amount().toString());
        node.put("resource", resource == null ? "" : resource.path("url").asText(""));
        node.put("description", resource == null ? "" : resource.path("description").asText(""));
        node.put("mimeType", resource == null ? "application/json" : resource.path("mimeType").asText("application/json"));
        node.put("payTo", entry.payTo());
        node.put("maxTimeoutSeconds", entry.maxTimeoutSeconds());
        node.put("asset", entry.asset());
        node.set("extra", ApiResponse.JSON.valueToTree(entry.extra()));
        return node;
    }

    /** The {@code PAYMENT-RESPONSE} header value. */
    static String encodeSettle(SettleResponse settle) {
        ObjectNode root = ApiResponse.JSON.createObjectNode();
        root.put("success", settle.success());
        if (settle.transaction() != null) {
            root.put("transaction", settle.transaction());
        }
        if (settle.network() != null) {
            root.put("network", settle.network());
        }
        if (settle.payer() != null) {
            root.put("payer", settle.payer());
        }
        if (settle.errorReason() != null) {
            root.put("errorReason", settle.errorReason());
        }
        return encodeBase64(root);
    }

    private static String encodeBase64(JsonNode node) {
        return Base64.getEncoder().encodeToString(write(node));
    }

    private static byte[] write(JsonNode node) {
        try {
            return ApiResponse.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
