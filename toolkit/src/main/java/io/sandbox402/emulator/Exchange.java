package io.sandbox402.emulator;

import com.sun.net.httpserver.HttpExchange;
import io.sandbox402.x402.PaymentRequired;
import io.sandbox402.x402.X402Codec;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;

/** Writes the emulator's JSON answers and remembers what was answered, for the request log. */
final class Exchange {
    private final HttpExchange exchange;
    int status;
    String sandboxId;

    Exchange(HttpExchange exchange) {
        this.exchange = exchange;
    }

    void json(ApiResponse response) throws IOException {
        write(response.status(), ApiResponse.JSON.writeValueAsBytes(response.body()));
    }

    /** A 402: version 2 puts the requirements in the header and BlockRun's quote in the body; version 1 puts them in the body. */
    void paymentRequired(PaymentGate gate, PaymentRequired required, String error, String details, BigInteger price)
            throws IOException {
        if (gate.x402Version() == 1) {
            write(402, X402Codec.paymentRequiredBody(required));
            return;
        }
        exchange.getResponseHeaders().set(X402Codec.PAYMENT_REQUIRED, X402Codec.encodePaymentRequired(required));
        write(402, ApiResponse.JSON.writeValueAsBytes(PaymentGate.quoteBody(error, details, price)));
    }

    private void write(int status, byte[] body) throws IOException {
        this.status = status;
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
