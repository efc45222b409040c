package io.sandbox402.agent.cli;

import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Checks that a URL is BlockRun's API before anything is paid: an unpaid create request is free, and
 * BlockRun answers it with 402 and a PAYMENT-REQUIRED price. Any other answer means the URL is wrong
 * (a missing {@code /api}, another server), which is a configuration error that names the URL.
 */
final class BlockRunCheck {
    static final String EXAMPLE = "https://blockrun.ai/api";

    private BlockRunCheck() {}

    /**
     * The quote for a create.
     *
     * @param source where the URL came from, for the message: {@code --api-url} or {@code BLOCKRUN_API_URL}
     * @throws UsageException when the URL does not answer as BlockRun does
     */
    static PaymentRequired quote(String apiUrl, String source) {
        String url = apiUrl.replaceAll("/+$", "") + "/v1/modal/sandbox/create";
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(15)).retryOnConnectionFailure(false).build();
        Request request = new Request.Builder().url(parse(url, apiUrl, source))
                .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
        try (Response response = client.newCall(request).execute()) {
            byte[] body = response.body().bytes();
            String header = response.header(X402Codec.PAYMENT_REQUIRED, response.header(X402Codec.X_PAYMENT_REQUIRED));
            if (response.code() == 402) {
                try {
                    return X402Codec.parsePaymentRequired(header, body);
                } catch (RuntimeException e) {
                    throw new UsageException(notBlockRun(apiUrl, source, "POST " + url + " answered 402 without a price"
                            + " BlockRun would give (" + Secrets.mask(e.getMessage()) + ")"));
                }
            }
            String type = response.header("Content-Type", "no content type");
            throw new UsageException(notBlockRun(apiUrl, source, "POST " + url + " answered " + response.code()
                    + " (" + type.replaceAll(";.*", "") + ", " + body.length + " bytes) instead of BlockRun's 402 price quote"));
        } catch (IOException e) {
            throw new UsageException("Cannot reach BlockRun at " + url + " (" + e + "). Check " + source
                    + " (for instance " + EXAMPLE + ") and the network.");
        }
    }

    private static okhttp3.HttpUrl parse(String url, String apiUrl, String source) {
        okhttp3.HttpUrl parsed = okhttp3.HttpUrl.parse(url);
        if (parsed == null) {
            throw new UsageException(source + " must be an http:// or https:// URL such as " + EXAMPLE + ", was '" + apiUrl + "'.");
        }
        return parsed;
    }

    private static String notBlockRun(String apiUrl, String source, String what) {
        String hint = apiUrl.replaceAll("/+$", "").endsWith("/api") ? "" : " Did you mean " + apiUrl.replaceAll("/+$", "") + "/api?";
        return source + " is not BlockRun's API: " + what + ". It should be BlockRun's API root, for instance "
                + EXAMPLE + "." + hint;
    }
}
