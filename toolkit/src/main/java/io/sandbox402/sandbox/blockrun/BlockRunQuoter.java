package io.sandbox402.sandbox.blockrun;

import com.fasterxml.jackson.databind.JsonNode;
import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.PaymentRequirements;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * Asks BlockRun what an operation costs, for free: a request without payment answers 402 with the price,
 * in x402's requirements and, where BlockRun adds it, a human quote (model, hourly rate). Thread-safe.
 */
final class BlockRunQuoter {
    /** A 402 is a small document: read at most 64 KiB of it. */
    private static final int MAX_QUOTE_BYTES = 64 * 1024;

    private final OkHttpClient unpaid;
    private final BlockRunApi api;

    BlockRunQuoter(OkHttpClient unpaid, BlockRunApi api) {
        this.unpaid = unpaid;
        this.api = api;
    }

    BlockRunQuote quote(String operation, @Nullable Map<String, Object> body) {
        Request request = new Request.Builder()
                .url(api.url(operation))
                .post(RequestBody.create(BlockRunApi.JSON.valueToTree(body == null ? Map.of() : body).toString(),
                        MediaType.get("application/json")))
                .build();
        try (Response response = unpaid.newCall(request).execute()) {
            BufferedSource source = response.body().source();
            source.request(MAX_QUOTE_BYTES);
            byte[] bytes = source.getBuffer().readByteArray(Math.min(MAX_QUOTE_BYTES, source.getBuffer().size()));
            if (response.code() != 402) {
                throw new BlockRunException(response.code(), "Expected a 402 quote from " + api.url(operation) + " but got "
                        + response.code() + ": " + BlockRunApi.abbreviate(new String(bytes, StandardCharsets.UTF_8)));
            }
            String header = response.header(X402Codec.PAYMENT_REQUIRED);
            PaymentRequired required = X402Codec.parsePaymentRequired(
                    header == null ? response.header(X402Codec.X_PAYMENT_REQUIRED) : header, bytes);
            PaymentRequirements offer = required.accepts().stream().min(Comparator.comparing(PaymentRequirements::amount))
                    .orElseThrow(() -> new BlockRunException(402, "BlockRun's quote for " + operation + " offers no way to pay."));
            String model = null;
            BigDecimal hourly = null;
            try {
                JsonNode quoted = BlockRunApi.JSON.readTree(bytes);
                JsonNode price = quoted == null ? null : quoted.path("price");
                if (price != null && price.hasNonNull("model")) {
                    model = price.get("model").asText();
                }
                JsonNode rate = quoted == null ? null : quoted.has("hourly_rate_usd") ? quoted.get("hourly_rate_usd")
                        : price == null ? null : price.get("hourly_rate_usd");
                if (rate != null && !rate.isNull()) {
                    hourly = new BigDecimal(rate.asText());
                }
            } catch (IOException | RuntimeException e) {
                // the human quote is optional; the requirements hold the price
            }
            return new BlockRunQuote(operation, new BigDecimal(offer.amount(), 6), offer.amount(), offer.network(), model, hourly);
        } catch (IOException e) {
            throw new BlockRunException(0, "Cannot reach BlockRun at " + api.url(operation) + ": " + e.getMessage()
                    + ". Check BLOCKRUN_API_URL and the network.", e);
        }
    }
}
