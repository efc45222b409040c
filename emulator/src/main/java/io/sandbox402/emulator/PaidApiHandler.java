package io.sandbox402.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sandbox402.x402.MalformedPaymentRequestException;
import io.sandbox402.x402.PaymentPayload;
import io.sandbox402.x402.SettleResponse;
import io.sandbox402.x402.X402Codec;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's HTTP handler. First it plays any injected fault, then validates the body (BlockRun's
 * 400 shape) and prices the call; without a payment it answers 402; with one it verifies it, runs the
 * call with the answer held back, settles only if the call succeeded, and answers with the settlement.
 */
final class PaidApiHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(PaidApiHandler.class.getName());
    static final String PREFIX = "/api/v1/modal/sandbox/";

    private final Prices prices;
    private final PaymentGate gate;
    private final SandboxApi api;
    final List<EmulatorRequest> requests = new CopyOnWriteArrayList<>();
    final List<EmulatorPayment> payments = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();

    PaidApiHandler(Prices prices, PaymentGate gate, SandboxApi api) {
        this.prices = prices;
        this.gate = gate;
        this.api = api;
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
        String operation = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
        boolean paid = exchange.getRequestHeaders().getFirst(gate.paymentHeader()) != null;
        Exchange out = new Exchange(exchange, answered -> requests.add(
                new EmulatorRequest(operation, paid, answered.status, answered.sandboxId)));
        try {
            if (!List.of("create", "exec", "status", "terminate").contains(operation)) {
                out.json(ApiResponse.error(404, "Not found: " + path));
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                out.json(ApiResponse.error(405, "Use POST for " + path));
            } else {
                handleOperation(exchange, operation, out);
            }
        } catch (DroppedConnection e) {
            out.drop();
            throw e; // the JDK server closes the connection without an answer
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Emulator failed on " + path, e);
            out.json(ApiResponse.error(500, "Emulator error: " + e));
        }
    }

    private void handleOperation(HttpExchange exchange, String operation, Exchange out) throws IOException {
        Fault fault = nextFault(operation, exchange.getRequestHeaders().getFirst(gate.paymentHeader()) != null);
        if (fault instanceof Fault.Delay delay) {
            sleep(delay.duration().toMillis());
        }
        if (fault instanceof Fault.TooManyRequests tooMany) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(tooMany.retryAfterSeconds()));
            out.json(ApiResponse.error(429, "Too many requests"));
            return;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            body = bytes.length == 0 ? ApiResponse.JSON.createObjectNode() : ApiResponse.JSON.readTree(bytes);
        } catch (IOException e) {
            out.json(ApiResponse.invalid("body", "Invalid JSON: " + e.getMessage(), "object"));
            return;
        }
        if (body == null || !body.isObject()) {
            out.json(ApiResponse.invalid("body", "Expected object", "object"));
            return;
        }
        out.sandboxId = SandboxApi.sandboxIdOrNull(body);
        BigInteger price;
        try {
            api.validate(operation, body);
            price = prices.of(operation, SandboxApi.gpuOf(operation, body));
        } catch (SandboxApi.Invalid invalid) {
            out.json(invalid.response);
            return;
        }
        String url = "http://" + exchange.getRequestHeaders().getFirst("Host") + PREFIX + operation;
        String header = exchange.getRequestHeaders().getFirst(gate.paymentHeader());
        if (header == null) {
            out.paymentRequired(gate, gate.paymentRequired(url, "BlockRun sandbox " + operation, price,
                    gate.paymentHeader() + " header is required"), "Payment Required", null, price);
            return;
        }
        PaymentPayload payload;
        try {
            payload = X402Codec.decodePayment(header);
        } catch (MalformedPaymentRequestException e) {
            out.paymentRequired(gate, gate.paymentRequired(url, "BlockRun sandbox " + operation, price, "invalid_payload"),
                    "Payment verification failed", e.getMessage(), price);
            return;
        }
        Verification verification = fault instanceof Fault.RejectPayment reject
                ? Verification.invalid(reject.reason(), payload.authorization().from())
                : gate.verify(payload, price);
        if (!verification.valid()) {
            record(operation, payload, false, verification.invalidReason(), null);
            out.paymentRequired(gate, gate.paymentRequired(url, "BlockRun sandbox " + operation, price,
                    verification.invalidReason()), "Payment verification failed", verification.invalidReason(), price);
            return;
        }
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
        SettleResponse settle = gate.settle(payload);
        record(operation, payload, settle.success(), settle.errorReason(), settle.transaction());
        if (!settle.success()) {
            out.paymentRequired(gate, gate.paymentRequired(url, "BlockRun sandbox " + operation, price, settle.errorReason()),
                    "Payment settlement failed", settle.errorReason(), price);
            return;
        }
        if (fault instanceof Fault.DropAfterSettle) {
            throw new DroppedConnection();
        }
        exchange.getResponseHeaders().set(gate.settlementHeader(), X402Server.encodeSettle(settle));
        if (fault instanceof Fault.ErrorAfterSettle error) {
            out.json(ApiResponse.error(error.status(), "Injected failure after settlement"));
            return;
        }
        out.json(response);
    }

    private void record(String operation, PaymentPayload payload, boolean settled, String reason, String transaction) {
        payments.add(new EmulatorPayment(operation, payload.authorization().from(), payload.authorization().value(),
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
