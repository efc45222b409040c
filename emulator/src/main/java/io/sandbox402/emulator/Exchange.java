package io.sandbox402.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * Writes the emulator's JSON answers, logging each request just before its answer goes out, so a
 * client that has its answer always finds its request in the log.
 */
final class Exchange {
    private final HttpExchange exchange;
    private final Consumer<Exchange> log;
    int status;
    String sandboxId;

    Exchange(HttpExchange exchange, Consumer<Exchange> log) {
        this.exchange = exchange;
        this.log = log;
    }

    void json(ApiResponse response) throws IOException {
        write(response.status(), ApiResponse.JSON.writeValueAsBytes(response.body()));
    }

    /**
     * A 402: version 2 puts the requirements in {@code PAYMENT-REQUIRED} (also {@code X-Payment-Required} and
     * {@code WWW-Authenticate: X402 requirements="..."}, as BlockRun) and {@code body} in the body; version 1
     * puts the requirements in the body.
     */
    void paymentRequired(PaymentGate gate, PaymentRequired required, ObjectNode body) throws IOException {
        if (gate.x402Version() == 1) {
            write(402, X402Server.paymentRequiredBody(required));
            return;
        }
        String encoded = X402Server.encodePaymentRequired(required);
        exchange.getResponseHeaders().set(X402Codec.PAYMENT_REQUIRED, encoded);
        exchange.getResponseHeaders().set("X-Payment-Required", encoded);
        exchange.getResponseHeaders().set("WWW-Authenticate", "X402 requirements=\"" + encoded + "\"");
        write(402, ApiResponse.JSON.writeValueAsBytes(body));
    }

    /** Logs the request as dropped: no answer goes out. */
    void drop() {
        this.status = 0;
        log.accept(this);
    }

    private void write(int status, byte[] body) throws IOException {
        this.status = status;
        log.accept(this);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
