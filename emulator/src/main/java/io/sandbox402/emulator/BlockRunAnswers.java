package io.sandbox402.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.Usdc;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;

/** The bodies of BlockRun's answers other than the operations' own: quotes, payment errors, 404, 413, 503. */
final class BlockRunAnswers {
    static final List<String> AVAILABLE = List.of(
            "POST /api/v1/modal/sandbox/create",
            "POST /api/v1/modal/sandbox/exec",
            "POST /api/v1/modal/sandbox/status",
            "POST /api/v1/modal/sandbox/terminate");

    private BlockRunAnswers() {}

    /**
     * The 402 quote: {@code {"error":"Payment Required","message":..,"endpoint":..,"method":"POST",
     * "description":..,"price":{"amount":"0.0110","currency":"USD","model":"flat"},"paymentInfo":{..}}};
     * an hourly quote adds {@code hourly_rate_usd}, {@code duration_hours} and {@code refund_policy}.
     */
    static ObjectNode quote(String operation, String description, BlockRunProfile.Quote quote, Network network, int x402Version) {
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("error", "Payment Required");
        body.put("message", "This endpoint requires x402 payment");
        body.put("endpoint", PaidApiHandler.PREFIX + operation);
        body.put("method", "POST");
        body.put("description", description);
        ObjectNode price = body.putObject("price");
        price.put("amount", wireAmount(quote.amount()));
        price.put("currency", "USD");
        price.put("model", quote.model());
        if (quote.hourlyRate() != null) {
            price.put("hourly_rate_usd", quote.hourlyRate());
            price.put("duration_hours", BigDecimal.valueOf(quote.duration().toSeconds())
                    .divide(BigDecimal.valueOf(3600), 6, RoundingMode.HALF_UP).stripTrailingZeros());
            price.put("refund_policy", "Charged upfront for the whole requested lifetime; no refund on early terminate.");
        }
        ObjectNode info = body.putObject("paymentInfo");
        info.put("network", network.id(2));
        info.put("networkName", network == Network.BASE ? "Base" : "Base Sepolia");
        info.put("asset", "USDC");
        info.put("x402Version", x402Version);
        return body;
    }

    /** A refused payment: {@code {"error":"Payment verification failed","code":"PAYMENT_..","message":..,"details":<x402 reason>}}. */
    static ObjectNode paymentFailed(String reason, BigInteger price) {
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("error", "Payment verification failed");
        body.put("code", PaymentGate.code(reason));
        body.put("message", PaymentGate.message(reason, price));
        body.put("details", reason);
        return body;
    }

    /** The call ran but its payment did not settle: nothing is charged. */
    static ObjectNode settlementFailed(String reason) {
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("error", "Payment settlement failed");
        body.put("details", reason);
        body.put("message", "The call ran but the payment did not settle; nothing was charged.");
        return body;
    }

    /** A {@code GET} on a Modal path: a 402 that lists what to POST to. */
    static ObjectNode getListing(String path) {
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("error", "Payment Required");
        body.put("message", "This endpoint requires x402 payment. Send a POST with a JSON body to one of the available endpoints.");
        body.put("endpoint", path);
        body.put("method", "GET");
        AVAILABLE.forEach(body.putArray("available")::add);
        return body;
    }

    static ApiResponse notFound(String method, String path) {
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("error", "Not found");
        body.put("message", "Unknown endpoint " + method + " " + path);
        AVAILABLE.forEach(body.putArray("available")::add);
        return new ApiResponse(404, body);
    }

    static ApiResponse paused() {
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("error", "Service Unavailable");
        body.put("message", "The Modal sandbox integration is paused. Try again later; nothing was charged.");
        return new ApiResponse(503, body);
    }

    static ApiResponse tooLarge(int limit) {
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("error", "Payload Too Large");
        body.put("message", "Request bodies are limited to " + limit + " bytes.");
        return new ApiResponse(413, body);
    }

    /**
     * A price as BlockRun writes it in its 402 body: four decimals at least ({@code 0.0110}), more when the
     * amount has them (an hourly {@code 0.751417}). This is BlockRun's wire format, not a display, so
     * it is not {@code Usdc.format}.
     */
    private static String wireAmount(BigInteger amount) {
        BigDecimal usd = Usdc.toUsd(amount).stripTrailingZeros();
        return usd.setScale(Math.max(4, usd.scale())).toPlainString();
    }
}
