package io.sandbox402.x402.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.jspecify.annotations.Nullable;

/**
 * The client half of x402's wire format: reads a 402's requirements, writes the payment header, reads
 * the settlement header; base64 (RFC 4648, padded) of compact UTF-8 JSON in headers, plain JSON in
 * bodies, for versions 1 and 2. Reading is tolerant of spelling (numbers as strings or numbers,
 * unknown fields kept); values are checked strictly, and anything unreadable becomes a
 * {@link MalformedPaymentRequestException} that says which field is wrong. The server half (writing
 * the 402 and the settlement, reading the payment) is the emulator's {@code X402Server}. Stateless and
 * thread-safe.
 */
public final class X402Codec {
    /** The version 2 header of a 402 that carries its requirements, base64 JSON. */
    public static final String PAYMENT_REQUIRED = "PAYMENT-REQUIRED";
    /** An alternative name some servers use for the requirements header; read when {@link #PAYMENT_REQUIRED} is absent. */
    public static final String X_PAYMENT_REQUIRED = "X-Payment-Required";
    /** The version 2 request header that carries the signed payment. */
    public static final String PAYMENT_SIGNATURE = "PAYMENT-SIGNATURE";
    /** The version 1 request header that carries the signed payment. */
    public static final String X_PAYMENT = "X-PAYMENT";
    /** The version 2 response header that carries the settlement. */
    public static final String PAYMENT_RESPONSE = "PAYMENT-RESPONSE";
    /** The version 1 response header that carries the settlement. */
    public static final String X_PAYMENT_RESPONSE = "X-PAYMENT-RESPONSE";


    private X402Codec() {}

    /**
     * The requirements of a 402: from the {@code PAYMENT-REQUIRED} header when present (version 2),
     * else from a body with {@code accepts} (version 1, or version 2 servers that use the body).
     *
     * @param header the {@code PAYMENT-REQUIRED} header's value; null or blank when absent
     * @param body the 402's body, as read (bounded by the caller); null or empty when absent
     * @return the requirements, with at least one entry
     * @throws MalformedPaymentRequestException when neither holds readable requirements of version 1 or 2
     */
    public static PaymentRequired parsePaymentRequired(@Nullable String header, byte @Nullable [] body) {
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

    /**
     * Encodes a signed payment for its request header.
     *
     * @param payment the payment; its {@code x402Version} picks the version 1 or 2 shape
     * @return the {@code PAYMENT-SIGNATURE} (version 2) or {@code X-PAYMENT} (version 1) header value, base64 JSON
     */
    public static String encodePayment(PaymentPayload payment) {
        boolean v1 = payment.x402Version() == 1;
        PaymentHeader header = new PaymentHeader(
                payment.x402Version(),
                v1 ? payment.scheme() : null,
                v1 ? payment.network() : null,
                v1 ? null : payment.resource(),
                v1 ? null : payment.accepted(),
                new PaymentHeader.Payload(payment.signature(), PaymentHeader.Transfer.of(payment.authorization())),
                v1 ? null : payment.extensions() == null ? Json.MAPPER.createObjectNode() : payment.extensions());
        return Base64.getEncoder().encodeToString(write(header));
    }

    /**
     * Reads a base64 JSON header into {@code type} by record binding.
     *
     * @param header the header's value
     * @param what the header's name, for messages
     * @param type the record it binds to
     * @param <T> that record
     * @return the bound value
     * @throws MalformedPaymentRequestException when it is not base64, not JSON or not of that shape
     */
    public static <T> T decodeHeader(String header, String what, Class<T> type) {
        JsonNode root = readJson(decodeBase64(header, what), what);
        try {
            return Json.MAPPER.treeToValue(root, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedPaymentRequestException("The " + what + " does not have x402's shape: "
                    + abbreviate(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ".", e);
        }
    }

    /**
     * Reads a {@code PAYMENT-RESPONSE} (or version 1 {@code X-PAYMENT-RESPONSE}) header.
     *
     * @param header the header's value, base64 JSON
     * @return the settlement the server reports
     * @throws MalformedPaymentRequestException when it is not base64, not JSON or not of that shape
     */
    public static SettleResponse decodeSettle(String header) {
        return decodeHeader(header, PAYMENT_RESPONSE + " header", SettleResponse.class);
    }

    static ObjectNode requirementsNode(String scheme, String network, BigInteger amount, String asset, String payTo,
            int maxTimeoutSeconds, Map<String, Object> extra) {
        return Json.MAPPER.valueToTree(
                new RequirementsEntry(scheme, network, amount.toString(), asset, payTo, maxTimeoutSeconds, extra));
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

    private static @Nullable String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    private static @Nullable ObjectNode objectOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isObject() ? (ObjectNode) value : null;
    }

    private static byte[] decodeBase64(@Nullable String value, String what) {
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

    private static byte[] write(Object node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static @Nullable String abbreviate(@Nullable String text) {
        return text == null || text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
