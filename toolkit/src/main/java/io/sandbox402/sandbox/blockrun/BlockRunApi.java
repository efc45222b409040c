package io.sandbox402.sandbox.blockrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.PaymentException;
import io.sandbox402.x402.PaymentIOException;
import io.sandbox402.x402.PaymentRejectedException;
import io.sandbox402.x402.PaymentTag;
import io.sandbox402.x402.internal.Json;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * BlockRun's four POST endpoints over an OkHttp client that pays through {@code X402Interceptor}:
 * JSON in, JSON out, and every error turned into a {@link BlockRunException} that says what to do.
 * Payment exceptions come out unwrapped, a rejection BlockRun explains made specific ({@link
 * BlockRunPaymentException}, {@link SettlementFailedException}). A 429 is retried, honouring
 * {@code Retry-After}, only for calls that are safe to repeat. Every call has an overall deadline and
 * reads at most {@code maxResponseBytes}.
 */
final class BlockRunApi {
    static final ObjectMapper JSON = Json.MAPPER;
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient client;
    private final String baseUrl;
    private final int maxRetries;
    private final Duration maxRetryWait;
    private final long maxResponseBytes;
    private final Duration callTimeout;

    /** How long status and terminate wait for BlockRun: its own wait for them is 15 s. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    /** The call's deadline beyond its read wait: both x402 round trips and the upload. */
    static final Duration CALL_MARGIN = Duration.ofSeconds(30);

    /**
     * @param maxResponseBytes the largest answer read
     * @param callTimeout every call's overall deadline, or {@code null} for its read wait plus {@link #CALL_MARGIN}
     */
    BlockRunApi(OkHttpClient client, String baseUrl, int maxRetries, Duration maxRetryWait, long maxResponseBytes,
            Duration callTimeout) {
        this.client = client;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.maxRetries = maxRetries;
        this.maxRetryWait = maxRetryWait;
        this.maxResponseBytes = maxResponseBytes;
        this.callTimeout = callTimeout;
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
        Duration wait = readTimeout == null ? DEFAULT_WAIT : readTimeout;
        // callTimeout bounds the whole call, both x402 round trips included: a server that drips a byte at a
        // time never trips the read timeout, and would otherwise keep the caller forever.
        Duration deadline = callTimeout != null ? callTimeout : wait.plus(CALL_MARGIN);
        OkHttpClient callClient = client.newBuilder().readTimeout(wait).callTimeout(deadline).build();
        RejectionCapture.Slot rejection = new RejectionCapture.Slot();
        Request request = new Request.Builder()
                .url(url(operation))
                .post(RequestBody.create(body.toString(), JSON_TYPE))
                .tag(PaymentTag.class, tag)
                .tag(RejectionCapture.Slot.class, rejection)
                .build();
        for (int attempt = 0; ; attempt++) {
            try (Response response = callClient.newCall(request).execute()) {
                String text = readCapped(operation, response);
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
                if (payment instanceof PaymentRejectedException rejected) {
                    BlockRunException specific = BlockRunErrors.fromRejection(operation, rejected, rejection.body);
                    throw specific != null ? specific : payment;
                }
                if (payment != null) {
                    throw payment;
                }
                boolean timedOut = e instanceof java.io.InterruptedIOException && "timeout".equals(e.getMessage())
                        || e instanceof java.net.SocketTimeoutException;
                throw new BlockRunException(0, "Cannot reach BlockRun at " + url(operation) + ": " + e.getMessage()
                        + (timedOut ? " (no complete answer within the call's deadline of " + deadline.toSeconds()
                                + " s; reading waited up to " + wait.toSeconds() + " s)" : "")
                        + ". Check BLOCKRUN_API_URL and the network. If it was paid, the ledger says so.", e);
            }
        }
    }

    /** The body, read up to {@code maxResponseBytes}: a larger answer fails instead of filling the heap. */
    private String readCapped(String operation, Response response) throws IOException {
        BufferedSource source = response.body().source();
        if (source.request(maxResponseBytes + 1)) {
            throw new BlockRunException(response.code(), "BlockRun's answer to " + operation + " is larger than "
                    + maxResponseBytes + " bytes, the most this client reads (Content-Length: "
                    + response.header("Content-Length", "not given") + "); it was not read."
                    + (response.isSuccessful() ? " The call itself succeeded and was paid; print less output, or raise"
                            + " BlockRunProvider.builder().maxResponseBytes(..)." : ""));
        }
        return source.getBuffer().readUtf8();
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
