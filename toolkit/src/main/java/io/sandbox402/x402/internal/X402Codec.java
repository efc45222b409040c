package io.sandbox402.x402.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.MalformedPaymentRequestException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes x402 messages: base64 (RFC 4648, padded) of compact UTF-8 JSON in headers, plain
 * JSON in bodies, for versions 1 and 2. Reading is tolerant of spelling (numbers as strings or
 * numbers, unknown fields kept); values are checked strictly, and anything unreadable becomes a
 * {@link MalformedPaymentRequestException} that says which field is wrong.
 */
public final class X402Codec {
    public static final String PAYMENT_REQUIRED = "PAYMENT-REQUIRED";
    public static final String X_PAYMENT_REQUIRED = "X-Payment-Required";
    public static final String PAYMENT_SIGNATURE = "PAYMENT-SIGNATURE";
    public static final String X_PAYMENT = "X-PAYMENT";
    public static final String PAYMENT_RESPONSE = "PAYMENT-RESPONSE";
    public static final String X_PAYMENT_RESPONSE = "X-PAYMENT-RESPONSE";


    private X402Codec() {}

    /**
     * The requirements of a 402: from the {@code PAYMENT-REQUIRED} header when present (version 2),
     * else from a body with {@code accepts} (version 1, or version 2 servers that use the body).
     */
    public static PaymentRequired parsePaymentRequired(String header, byte[] body) {
        JsonNode root;
        if (header != null && !header.isBlank()) {
            root = readJson(decodeBase64(header, PAYMENT_REQUIRED + " header"), PAYMENT_REQUIRED + " header");
        } else if (body != null && body.length > 0) {
            root = readJson(body, "402 body");
            if (!root.has("accepts")) {
                throw new MalformedPaymentRequestException(
                        "The 402 has no " + PAYMENT_REQUIRED + " header and its body has no 'accepts'; nothing says how to pay.");
            }
        } else {
            throw new MalformedPaymentRequestException(
                    "The 402 has no " + PAYMENT_REQUIRED + " header and no body; nothing says how to pay.");
        }
        if (!root.isObject()) {
            throw new MalformedPaymentRequestException("The payment requirements are not a JSON object.");
        }
        int version = root.path("x402Version").asInt(-1);
        if (version != 1 && version != 2) {
            throw new MalformedPaymentRequestException(
                    "Unsupported x402Version " + root.path("x402Version") + "; this client speaks versions 1 and 2.");
        }
        JsonNode accepts = root.get("accepts");
        if (accepts == null || !accepts.isArray() || accepts.isEmpty()) {
            throw new MalformedPaymentRequestException("The 402 offers no way to pay: 'accepts' is missing or empty.");
        }
        List<PaymentRequirements> entries = new ArrayList<>();
        for (int i = 0; i < accepts.size(); i++) {
            entries.add(readRequirements(accepts.get(i), "accepts[" + i + "]"));
        }
        return new PaymentRequired(version, textOrNull(root, "error"), objectOrNull(root, "resource"), entries,
                objectOrNull(root, "extensions"));
    }

    /** The {@code PAYMENT-SIGNATURE} (version 2) or {@code X-PAYMENT} (version 1) header value. */
    public static String encodePayment(PaymentPayload payment) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("x402Version", payment.x402Version());
        if (payment.x402Version() == 1) {
            root.put("scheme", payment.scheme());
            root.put("network", payment.network());
        } else {
            if (payment.resource() != null) {
                root.set("resource", payment.resource());
            }
            root.set("accepted", payment.accepted());
        }
        ObjectNode payload = root.putObject("payload");
        payload.put("signature", payment.signature());
        Authorization authorization = payment.authorization();
        ObjectNode auth = payload.putObject("authorization");
        auth.put("from", authorization.from());
        auth.put("to", authorization.to());
        auth.put("value", authorization.value().toString());
        auth.put("validAfter", Long.toString(authorization.validAfter()));
        auth.put("validBefore", Long.toString(authorization.validBefore()));
        auth.put("nonce", authorization.nonce());
        if (payment.x402Version() == 2) {
            root.set("extensions", payment.extensions() == null ? Json.MAPPER.createObjectNode() : payment.extensions());
        }
        return encodeBase64(root);
    }

    /** Reads a {@code PAYMENT-SIGNATURE} or {@code X-PAYMENT} header (the server's side). */
    public static PaymentPayload decodePayment(String header) {
        JsonNode root = readJson(decodeBase64(header, "payment header"), "payment header");
        int version = root.path("x402Version").asInt(-1);
        String scheme;
        String network;
        ObjectNode accepted = null;
        if (version == 2) {
            accepted = objectOrNull(root, "accepted");
            if (accepted == null) {
                throw new MalformedPaymentRequestException("The payment header lacks 'accepted'.");
            }
            scheme = required(accepted, "scheme", "accepted");
            network = required(accepted, "network", "accepted");
        } else if (version == 1) {
            scheme = required(root, "scheme", "payment");
            network = required(root, "network", "payment");
        } else {
            throw new MalformedPaymentRequestException("Unsupported x402Version " + root.path("x402Version") + " in the payment header.");
        }
        JsonNode payload = root.path("payload");
        JsonNode auth = payload.path("authorization");
        if (!auth.isObject()) {
            throw new MalformedPaymentRequestException("The payment header lacks 'payload.authorization'.");
        }
        Authorization authorization;
        try {
            authorization = new Authorization(
                    required(auth, "from", "authorization"),
                    required(auth, "to", "authorization"),
                    amount(auth.get("value"), "authorization.value"),
                    amount(auth.get("validAfter"), "authorization.validAfter").longValueExact(),
                    amount(auth.get("validBefore"), "authorization.validBefore").longValueExact(),
                    required(auth, "nonce", "authorization"));
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new MalformedPaymentRequestException("The payment's authorization is invalid: " + e.getMessage(), e);
        }
        return new PaymentPayload(version, scheme, network, objectOrNull(root, "resource"), accepted,
                required(payload, "signature", "payload"), authorization, objectOrNull(root, "extensions"));
    }

    /** Reads a {@code PAYMENT-RESPONSE} header. */
    public static SettleResponse decodeSettle(String header) {
        JsonNode root = readJson(decodeBase64(header, PAYMENT_RESPONSE + " header"), PAYMENT_RESPONSE + " header");
        return new SettleResponse(root.path("success").asBoolean(false), textOrNull(root, "transaction"),
                textOrNull(root, "network"), textOrNull(root, "payer"), textOrNull(root, "errorReason"));
    }

    static ObjectNode requirementsNode(String scheme, String network, BigInteger amount, String asset, String payTo,
            int maxTimeoutSeconds, Map<String, Object> extra) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("scheme", scheme);
        node.put("network", network);
        node.put("amount", amount.toString());
        node.put("asset", asset);
        node.put("payTo", payTo);
        node.put("maxTimeoutSeconds", maxTimeoutSeconds);
        node.set("extra", Json.MAPPER.valueToTree(extra));
        return node;
    }

    private static PaymentRequirements readRequirements(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new MalformedPaymentRequestException(where + " is not a JSON object.");
        }
        JsonNode amount = node.has("amount") ? node.get("amount") : node.get("maxAmountRequired");
        if (amount == null || amount.isNull()) {
            throw new MalformedPaymentRequestException(where + " lacks 'amount' (or version 1's 'maxAmountRequired').");
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        JsonNode extraNode = node.get("extra");
        if (extraNode != null && extraNode.isObject()) {
            extraNode.fields().forEachRemaining(field -> extra.put(field.getKey(),
                    field.getValue().isTextual() ? field.getValue().asText() : Json.MAPPER.convertValue(field.getValue(), Object.class)));
        }
        JsonNode timeout = node.get("maxTimeoutSeconds");
        int maxTimeoutSeconds = PaymentRequirements.DEFAULT_TIMEOUT_SECONDS;
        if (timeout != null && !timeout.isNull()) {
            BigInteger seconds = amount(timeout, where + ".maxTimeoutSeconds");
            if (seconds.signum() <= 0 || seconds.compareTo(BigInteger.valueOf(86_400)) > 0) {
                throw new MalformedPaymentRequestException(
                        where + ".maxTimeoutSeconds must be between 1 and 86400, was " + seconds + ".");
            }
            maxTimeoutSeconds = seconds.intValue();
        }
        return new PaymentRequirements(
                required(node, "scheme", where),
                required(node, "network", where),
                amount(amount, where + ".amount"),
                required(node, "asset", where),
                required(node, "payTo", where),
                maxTimeoutSeconds,
                extra,
                ((ObjectNode) node).deepCopy());
    }

    /** A whole non-negative number within uint256, sent as a decimal string or a JSON integer. */
    private static BigInteger amount(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            throw new MalformedPaymentRequestException(where + " is missing.");
        }
        String text = node.isIntegralNumber() ? node.bigIntegerValue().toString() : node.asText();
        if (!node.isIntegralNumber() && !node.isTextual() || !text.matches("[0-9]{1,78}")) {
            throw new MalformedPaymentRequestException(
                    where + " must be a whole non-negative number of atomic units, was " + abbreviate(node.toString()) + ".");
        }
        BigInteger value = new BigInteger(text);
        if (!Abi.isUint256(value)) {
            throw new MalformedPaymentRequestException(where + " is larger than a uint256: " + abbreviate(text) + ".");
        }
        return value;
    }

    private static String required(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
            throw new MalformedPaymentRequestException(where + " lacks '" + field + "'.");
        }
        return value.asText();
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    private static ObjectNode objectOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isObject() ? (ObjectNode) value : null;
    }

    private static byte[] decodeBase64(String value, String what) {
        String trimmed = value == null ? "" : value.trim();
        try {
            return Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException standard) {
            try {
                return Base64.getUrlDecoder().decode(trimmed); // some servers send the URL-safe alphabet
            } catch (IllegalArgumentException urlSafe) {
                throw new MalformedPaymentRequestException("The " + what + " is not base64: " + standard.getMessage() + ".");
            }
        }
    }

    private static JsonNode readJson(byte[] bytes, String what) {
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new MalformedPaymentRequestException("The " + what + " is not a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedPaymentRequestException("The " + what + " is not valid JSON: "
                    + abbreviate(e.getOriginalMessage()) + ".", e);
        } catch (IOException e) {
            throw new MalformedPaymentRequestException("The " + what + " cannot be read: " + e.getMessage() + ".", e);
        }
    }

    private static String encodeBase64(JsonNode node) {
        return Base64.getEncoder().encodeToString(write(node));
    }

    private static byte[] write(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
