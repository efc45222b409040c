package io.sandbox402.x402;

import com.fasterxml.jackson.databind.JsonNode;
import io.sandbox402.x402.internal.Json;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * A server's payment challenge: a 402 response read and closed, with its requirements header, its body
 * and the reason it gives. (Not a refusal by the policy: that is a {@link PaymentRefusedException}.)
 */
record PaymentChallenge(@Nullable String requirementsHeader, byte[] body) {

    static PaymentChallenge read(Response response, long maxBodyBytes) throws IOException {
        try (response) {
            String header = response.header(X402Codec.PAYMENT_REQUIRED);
            if (header == null) {
                header = response.header(X402Codec.X_PAYMENT_REQUIRED);
            }
            ResponseBody body = response.body();
            byte[] bytes = body == null ? new byte[0] : response.peekBody(maxBodyBytes).bytes();
            return new PaymentChallenge(header, bytes);
        }
    }

    /** The server's reason: the body's {@code error} and {@code details}, else the requirements' {@code error}. */
    String reason() {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root != null && root.hasNonNull("error")) {
                String reason = text(root.get("error"));
                JsonNode details = root.get("details");
                if (details == null || details.isNull()) {
                    details = root.get("invalidReason");
                }
                return details == null || details.isNull() ? reason : reason + " (" + text(details) + ")";
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: fall back to the header
        }
        if (requirementsHeader != null) {
            try {
                String error = X402Codec.parsePaymentRequired(requirementsHeader, null).error();
                if (error != null) {
                    return error;
                }
            } catch (PaymentException ignored) {
                // unreadable header: no reason to give
            }
        }
        return "the server gave no reason";
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
