package io.sandbox402.sandbox.blockrun;

import com.fasterxml.jackson.databind.JsonNode;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Sits below the x402 interceptor and keeps the body of a 402 that answers a <em>paid</em> request,
 * which the x402 layer reduces to a reason: BlockRun's {@code code} ({@code PAYMENT_UNFUNDED}...) and
 * its "Payment settlement failed" are what tell the caller what happened to the money.
 */
final class RejectionCapture implements Interceptor {
    /** A 402 body is a small JSON document. */
    private static final long MAX_BODY_BYTES = 64 * 1024;

    /** The request tag that receives the body. */
    static final class Slot {
        volatile JsonNode body;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        Slot slot = chain.request().tag(Slot.class);
        boolean paid = chain.request().header(X402Codec.PAYMENT_SIGNATURE) != null
                || chain.request().header(X402Codec.X_PAYMENT) != null;
        if (slot != null && paid && response.code() == 402) {
            try {
                JsonNode body = BlockRunApi.JSON.readTree(response.peekBody(MAX_BODY_BYTES).bytes());
                slot.body = body != null && body.isObject() ? body : null;
            } catch (IOException | RuntimeException e) {
                slot.body = null; // not JSON: the x402 layer's reason is all there is
            }
        }
        return response;
    }
}
