package io.sandbox402.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sandbox402.x402.MalformedPaymentRequestException;
import io.sandbox402.x402.internal.PaymentPayload;
import io.sandbox402.x402.internal.SettleResponse;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's HTTP handler. First it routes (a {@code GET} on a Modal path is a 402 listing the
 * endpoints, an unknown one a 404) and answers 503 when paused; then it plays any injected fault, reads
 * the body within the profile's size limit (413 beyond), validates it (BlockRun's 400) and prices it.
 * Without a payment it answers 402. With one it verifies it, claims it (nonce and balance, atomically:
 * one payment runs one call), runs the call with the answer held back, and settles only if the call
 * succeeded; a failed call releases the claim, so nothing is charged.
 */
final class PaidApiHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(PaidApiHandler.class.getName());
    static final String PREFIX = "/api/v1/modal/sandbox/";
    private static final String MODAL = "/api/v1/modal/";

    private final BlockRunProfile profile;
    private final PaymentGate gate;
    private final SandboxApi api;
    final RequestLog log;
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    volatile boolean paused;

    PaidApiHandler(BlockRunProfile profile, PaymentGate gate, SandboxApi api, RequestLog log) {
        this.profile = profile;
        this.gate = gate;
        this.api = api;
        this.log = log;
    }

    void inject(String operation, Fault fault) {
        faults.computeIfAbsent(operation, k -> new ConcurrentLinkedDeque<>()).add(fault);
    }

    /** The next fault for this request: delays and 429s play on any request, the others only on a paid one. */
    private Fault nextFault(String operation, boolean paid) {
        for (String key : List.of(operation, "*")) {
            Deque<Fault> queue = faults.get(key);
            Fault fault = queue == null ? null : queue.peek();
            if (fault != null && (paid || fault instanceof Fault.Delay || fault instanceof Fault.TooManyRequests)
                    && queue.remove(fault)) {
                return fault;
            }
        }
        return null;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String operation = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
        boolean paid = exchange.getRequestHeaders().getFirst(gate.paymentHeader()) != null;
        Exchange out = new Exchange(exchange, answered -> log.add(
                new EmulatorRequest(operation, paid, answered.status, answered.sandboxId)));
        try {
            if ("GET".equals(method) && path.startsWith(MODAL)) {
                out.json(new ApiResponse(402, BlockRunAnswers.getListing(path)));
            } else if (!"POST".equals(method) || !path.startsWith(PREFIX) || !BlockRunProfile.OPERATIONS.contains(operation)) {
                out.json(BlockRunAnswers.notFound(method, path));
            } else if (paused) {
                out.json(BlockRunAnswers.paused());
            } else {
                handleOperation(exchange, operation, paid, out);
            }
        } catch (DroppedConnection e) {
            out.drop();
            throw e; // the JDK server closes the connection without an answer
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Emulator failed on " + path, e);
            out.json(ApiResponse.error(500, "Emulator error: " + e));
        }
    }

    private void handleOperation(HttpExchange exchange, String operation, boolean paid, Exchange out) throws IOException {
        Fault fault = nextFault(operation, paid);
        if (fault instanceof Fault.Delay delay) {
            sleep(delay.duration().toMillis());
        }
        if (fault instanceof Fault.TooManyRequests tooMany) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(tooMany.retryAfterSeconds()));
            out.json(ApiResponse.error(429, "Too many requests"));
            return;
        }
        byte[] bytes = readBody(exchange, profile.maxBodyBytes());
        if (bytes == null) {
            // The rest of the body is not read: the JDK server drains 64 KiB at most, then closes the connection.
            exchange.getResponseHeaders().set("Connection", "close");
            out.json(BlockRunAnswers.tooLarge(profile.maxBodyBytes()));
            return;
        }
        JsonNode body;
        try {
            body = bytes.length == 0 ? ApiResponse.JSON.createObjectNode() : ApiResponse.JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            out.json(ApiResponse.invalid(null, "Invalid JSON: " + e.getOriginalMessage(), null));
            return;
        }
        if (body == null || !body.isObject()) {
            out.json(ApiResponse.invalid(null, "Expected object, received " + RequestValidator.type(body), "object"));
            return;
        }
        out.sandboxId = SandboxApi.sandboxIdOrNull(body);
        ApiResponse invalid = RequestValidator.check(profile, operation, body);
        if (invalid != null) {
            out.json(invalid);
            return;
        }
        BlockRunProfile.Quote quote = quote(operation, body);
        BigInteger price = quote.amount();
        String url = "http://" + exchange.getRequestHeaders().getFirst("Host") + PREFIX + operation;
        String description = description(operation, body, quote);
        String header = exchange.getRequestHeaders().getFirst(gate.paymentHeader());
        if (header == null) {
            out.paymentRequired(gate, gate.paymentRequired(url, description, price, gate.paymentHeader() + " header is required"),
                    BlockRunAnswers.quote(operation, description, quote, gate.network(), gate.x402Version()));
            return;
        }
        PaymentPayload payload;
        try {
            payload = X402Server.decodePayment(header);
        } catch (MalformedPaymentRequestException e) {
            out.paymentRequired(gate, gate.paymentRequired(url, description, price, "invalid_payload"),
                    BlockRunAnswers.paymentFailed("invalid_payload", price));
            return;
        }
        Verification verification = fault instanceof Fault.RejectPayment reject
                ? Verification.invalid(reject.reason(), payload.authorization().from())
                : gate.verify(payload, price);
        String refused = verification.valid() ? gate.claim(payload) : verification.invalidReason();
        if (refused != null) {
            record(operation, payload, false, refused, null);
            out.paymentRequired(gate, gate.paymentRequired(url, description, price, refused),
                    BlockRunAnswers.paymentFailed(refused, price));
            return;
        }
        // Claimed: from here the payment is either settled or released, never both, never neither.
        boolean settled = false;
        try {
            if (fault instanceof Fault.ErrorBeforeSettle error) {
                record(operation, payload, false, "error_before_settle", null);
                out.json(ApiResponse.error(error.status(), "Injected failure before settlement"));
                return;
            }
            ApiResponse response = api.handle(operation, body);
            if (response.status() >= 400) {
                record(operation, payload, false, "handler_failed", null);
                out.json(response);
                return;
            }
            if (fault instanceof Fault.SettlementFails fails) {
                if ("create".equals(operation)) {
                    api.discard(response.body().path("sandbox_id").asText(null)); // unpaid: it must not live on
                }
                record(operation, payload, false, fails.reason(), null);
                out.paymentRequired(gate, gate.paymentRequired(url, description, price, fails.reason()),
                        BlockRunAnswers.settlementFailed(fails.reason()));
                return;
            }
            SettleResponse settle = gate.settle(payload);
            settled = true;
            record(operation, payload, true, null, settle.transaction());
            if (fault instanceof Fault.DropAfterSettle) {
                throw new DroppedConnection();
            }
            String encoded = X402Server.encodeSettle(settle);
            exchange.getResponseHeaders().set(gate.settlementHeader(), encoded);
            exchange.getResponseHeaders().set("X-Payment-Response", encoded);
            exchange.getResponseHeaders().set("X-Payment-Receipt", settle.transaction());
            if (fault instanceof Fault.ErrorAfterSettle error) {
                out.json(ApiResponse.error(error.status(), "Injected failure after settlement"));
                return;
            }
            out.json(response);
        } finally {
            if (!settled) {
                gate.release(payload);
            }
        }
    }

    private BlockRunProfile.Quote quote(String operation, JsonNode body) {
        if (!"create".equals(operation)) {
            return BlockRunProfile.Quote.flat(profile.price(operation));
        }
        long timeout = body.hasNonNull("timeout") ? body.get("timeout").asLong() : profile.defaultCreateTimeout().toSeconds();
        return profile.quoteCreate(RequestValidator.gpuOf(body), Duration.ofSeconds(timeout));
    }

    private static String description(String operation, JsonNode body, BlockRunProfile.Quote quote) {
        return switch (operation) {
            case "create" -> "Create a Modal sandbox (" + (body.hasNonNull("gpu") ? body.get("gpu").asText() : "CPU")
                    + ", " + quote.duration().toSeconds() + " s)";
            case "exec" -> "Run a command in a Modal sandbox";
            case "status" -> "Read a Modal sandbox's status";
            default -> "Terminate a Modal sandbox";
        };
    }

    /** The body, or {@code null} when it is longer than {@code limit}: never more than limit + 1 bytes are read. */
    private static byte[] readBody(HttpExchange exchange, int limit) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    return null;
                }
            } catch (NumberFormatException e) {
                // the JDK server refuses it before we get here; read within the limit anyway
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(limit + 1);
            return bytes.length > limit ? null : bytes;
        }
    }

    private void record(String operation, PaymentPayload payload, boolean settled, String reason, String transaction) {
        log.add(new EmulatorPayment(operation, payload.authorization().from(), payload.authorization().value(),
                payload.authorization().nonce(), settled, reason, transaction));
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thrown to make the JDK server close the connection without answering. */
    private static final class DroppedConnection extends RuntimeException {
        DroppedConnection() {
            super("dropped on purpose", null, false, false);
        }
    }

}
