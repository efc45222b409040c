package io.sandbox402.x402;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.x402.internal.Authorization;
import io.sandbox402.x402.internal.PaymentHeader;
import io.sandbox402.x402.internal.PaymentPayload;
import io.sandbox402.x402.internal.X402Codec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import mockwebserver3.MockResponse;

/** 402 responses as BlockRun and x402 version 1 servers send them, for interceptor tests. */
final class Quotes {
    static final String PAY_TO = DevKeys.ACCOUNT_1_ADDRESS;
    static final String BASE_USDC = Network.BASE.usdcAddress();

    private Quotes() {}

    /** The payment a client sent, read back as a server would (the emulator's X402Server does it for real). */
    static PaymentPayload decodePayment(String header) {
        PaymentHeader wire = X402Codec.decodeHeader(header, "payment header", PaymentHeader.class);
        PaymentHeader.Transfer transfer = wire.payload().authorization();
        Authorization authorization = new Authorization(transfer.from(), transfer.to(), new BigInteger(transfer.value()),
                Long.parseLong(transfer.validAfter()), Long.parseLong(transfer.validBefore()), transfer.nonce());
        boolean v1 = wire.x402Version() == 1;
        return new PaymentPayload(wire.x402Version(),
                v1 ? wire.scheme() : wire.accepted().path("scheme").asText(),
                v1 ? wire.network() : wire.accepted().path("network").asText(),
                (ObjectNode) wire.resource(), (ObjectNode) wire.accepted(), wire.payload().signature(), authorization,
                (ObjectNode) wire.extensions());
    }

    /** The requirements object of a version 2 402, with an unknown field that must be echoed unchanged. */
    static String v2Json(String url, String amount) {
        return "{\"x402Version\":2,\"error\":\"PAYMENT-SIGNATURE header is required\","
                + "\"resource\":{\"url\":\"" + url + "\",\"description\":\"Run a command\",\"mimeType\":\"application/json\"},"
                + "\"accepts\":[{\"scheme\":\"exact\",\"network\":\"eip155:8453\",\"amount\":\"" + amount + "\","
                + "\"asset\":\"" + BASE_USDC + "\",\"payTo\":\"" + PAY_TO + "\",\"maxTimeoutSeconds\":300,"
                + "\"extra\":{\"name\":\"USD Coin\",\"version\":\"2\"},\"outputSchema\":{\"kept\":true}}],"
                + "\"extensions\":{}}";
    }

    static MockResponse v2(String url, String amount) {
        return paymentRequiredHeader(v2Json(url, amount));
    }

    static MockResponse paymentRequiredHeader(String json) {
        return new MockResponse.Builder()
                .code(402)
                .setHeader("PAYMENT-REQUIRED", base64(json))
                .setHeader("Content-Type", "application/json")
                .body("{\"error\":\"Payment Required\",\"price\":{\"amount\":\"0.0010\",\"currency\":\"USD\"}}")
                .build();
    }

    static MockResponse v1(String url, String amount) {
        String body = "{\"x402Version\":1,\"error\":\"X-PAYMENT header is required\",\"accepts\":[{\"scheme\":\"exact\","
                + "\"network\":\"base\",\"maxAmountRequired\":\"" + amount + "\",\"resource\":\"" + url + "\","
                + "\"description\":\"Run a command\",\"mimeType\":\"application/json\",\"payTo\":\"" + PAY_TO + "\","
                + "\"maxTimeoutSeconds\":60,\"asset\":\"" + BASE_USDC + "\",\"extra\":{\"name\":\"USD Coin\",\"version\":\"2\"}}]}";
        return new MockResponse.Builder().code(402).setHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse ok(String settleHeader, String transaction) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader(settleHeader, base64("{\"success\":true,\"transaction\":\"" + transaction
                        + "\",\"network\":\"eip155:8453\",\"payer\":\"" + DevKeys.ACCOUNT_0_ADDRESS + "\"}"))
                .body("{\"sandbox_id\":\"sb-1\",\"stdout\":\"4\\n\",\"stderr\":\"\",\"returncode\":0}")
                .build();
    }

    static String base64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
