package io.sandbox402.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BlockRun's sandbox endpoints without x402, for row 8's anchor: the same JDK HTTP server as the
 * emulator (TCP_NODELAY, a cached pool of daemon threads), the same JSON parsing and answers, and
 * sandboxes that echo at once, but no 402, so a {@code BlockRunProvider} pointed at it runs the
 * same OkHttp stack and pays nothing.
 */
final class UnpaidBlockRun implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/api/v1/modal/sandbox/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger ids = new AtomicInteger();

    UnpaidBlockRun() throws IOException {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true"); // as the emulator: no delayed-ACK stalls
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "unpaid-blockrun-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The API's base URL, as {@code BlockRunEmulator.baseUrl()}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String operation = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in.readAllBytes());
        }
        ObjectNode answer = JSON.createObjectNode();
        int status = 200;
        switch (operation) {
            case "create" -> answer.put("sandbox_id", "sb-unpaid-" + ids.incrementAndGet()).put("status", "running")
                    .put("created_at", java.time.Instant.now().toString());
            case "exec" -> {
                StringBuilder stdout = new StringBuilder();
                body.get("command").forEach(part -> stdout.append(stdout.length() == 0 ? "" : " ").append(part.asText()));
                answer.put("sandbox_id", body.path("sandbox_id").asText()).put("stdout", stdout.append('\n').toString())
                        .put("stderr", "").put("returncode", 0);
            }
            case "status", "terminate" -> answer.put("sandbox_id", body.path("sandbox_id").asText())
                    .put("status", operation.equals("terminate") ? "terminated" : "running");
            default -> {
                status = 404;
                answer.put("error", "Not found: " + path);
            }
        }
        byte[] bytes = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
