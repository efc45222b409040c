package io.sandbox402.sandbox.blockrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.PaymentException;
import io.sandbox402.x402.PaymentIOException;
import io.sandbox402.x402.PaymentTag;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * BlockRun's four POST endpoints over an OkHttp client that pays through {@code X402Interceptor}:
 * JSON in, JSON out, and every error turned into a {@link BlockRunException} that says what to do.
 * Payment exceptions come out unwrapped. A 429 is retried, honouring {@code Retry-After}, only for
 * calls that are safe to repeat.
 */
final class BlockRunApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient client;
    private final String baseUrl;
    private final int maxRetries;
    private final Duration maxRetryWait;

    BlockRunApi(OkHttpClient client, String baseUrl, int maxRetries, Duration maxRetryWait) {
        this.client = client;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.maxRetries = maxRetries;
        this.maxRetryWait = maxRetryWait;
    }

    String url(String operation) {
        return baseUrl + "/v1/modal/sandbox/" + operation;
    }

    /**
     * Calls {@code operation}.
     *
     * @param readTimeout how long to wait for the answer (an exec waits for its command)
     * @param repeatable whether a 429 may be retried: never for a paid create or exec
     */
    JsonNode call(String operation, ObjectNode body, PaymentTag tag, Duration readTimeout, boolean repeatable) {
        OkHttpClient callClient = readTimeout == null ? client : client.newBuilder().readTimeout(readTimeout).build();
        Request request = new Request.Builder()
                .url(url(operation))
                .post(RequestBody.create(body.toString(), JSON_TYPE))
                .tag(PaymentTag.class, tag)
                .build();
        for (int attempt = 0; ; attempt++) {
            try (Response response = callClient.newCall(request).execute()) {
                String text = response.body().string();
                if (response.isSuccessful()) {
                    return parse(operation, response.code(), text);
                }
                if (response.code() == 429 && repeatable && attempt < maxRetries) {
                    sleep(retryAfter(response, attempt));
                    continue;
                }
                throw BlockRunErrors.from(operation, url(operation), response.code(), response.header("Retry-After"),
                        text, body, repeatable ? attempt : -1);
            } catch (IOException e) {
                PaymentException payment = PaymentIOException.unwrap(e);
                if (payment != null) {
                    throw payment;
                }
                throw new BlockRunException(0, "Cannot reach BlockRun at " + url(operation) + ": " + e.getMessage()
                        + ". Check BLOCKRUN_API_URL and the network" + (readTimeout == null ? "" : "; the call waited up to "
                        + readTimeout.toSeconds() + " s for an answer") + ".", e);
            }
        }
    }

    private Duration retryAfter(Response response, int attempt) {
        Duration wait = Duration.ofMillis(250L << Math.min(attempt, 6));
        String header = response.header("Retry-After");
        if (header != null) {
            try {
                wait = Duration.ofSeconds(Long.parseLong(header.trim()));
            } catch (NumberFormatException e) {
                // an HTTP date: keep the backoff
            }
        }
        return wait.compareTo(maxRetryWait) > 0 ? maxRetryWait : wait;
    }

    private static JsonNode parse(String operation, int status, String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BlockRunException(status, "BlockRun answered " + operation + " with " + status
                    + " but the body is not JSON (" + e.getMessage() + "): " + abbreviate(text));
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 297) + "...";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlockRunException(429, "Interrupted while waiting to retry a rate-limited call.");
        }
    }
}
