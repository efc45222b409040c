package io.sandbox402.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Gpu;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * BlockRun's four sandbox operations over a {@link SandboxProvider}, called only with bodies that passed
 * {@link RequestValidator}: emulator ids ({@code sb-...}) mapped to the provider's sandboxes, defaults from
 * the {@link BlockRunProfile}, and a reaper that ends each sandbox at its {@code timeout} as BlockRun's do.
 * Ended sandboxes are remembered, so status says {@code terminated} and terminate is a no-op; an exec on
 * one, like one on an unknown id, is the sandbox service's 404 passed through.
 */
final class SandboxApi {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxProvider provider;
    private final Clock clock;
    private final BlockRunProfile profile;
    private final Map<String, Hosted> sandboxes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "blockrun-emulator-reaper");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Hosted {
        final Sandbox sandbox;
        final ObjectNode config;
        volatile boolean ended;
        volatile ScheduledFuture<?> reap;

        Hosted(Sandbox sandbox, ObjectNode config) {
            this.sandbox = sandbox;
            this.config = config;
        }

        boolean running() {
            return !ended && sandbox.status().isRunning();
        }

        void end() {
            ended = true;
            ScheduledFuture<?> pending = reap;
            if (pending != null) {
                pending.cancel(false);
            }
            sandbox.terminate();
        }
    }

    SandboxApi(SandboxProvider provider, Clock clock, BlockRunProfile profile) {
        this.provider = provider;
        this.clock = clock;
        this.profile = profile;
    }

    ApiResponse handle(String operation, JsonNode body) {
        return switch (operation) {
            case "create" -> create(body);
            case "exec" -> exec(body);
            case "status" -> status(body);
            case "terminate" -> terminate(body);
            default -> throw new IllegalArgumentException(operation);
        };
    }

    /** The emulator id a request names, when it names one. */
    static String sandboxIdOrNull(JsonNode body) {
        JsonNode id = body.get("sandbox_id");
        return id != null && id.isTextual() ? id.asText() : null;
    }

    private ApiResponse create(JsonNode body) {
        ObjectNode config = ApiResponse.JSON.createObjectNode();
        config.put("image", body.path("image").asText("python:3.11"));
        long timeout = body.hasNonNull("timeout") ? body.get("timeout").asLong() : profile.defaultCreateTimeout().toSeconds();
        config.put("timeout", timeout);
        config.put("cpu", body.hasNonNull("cpu") ? body.get("cpu").asDouble() : 1.0);
        config.put("memory", body.hasNonNull("memory") ? body.get("memory").asInt() : 512);
        Gpu gpu = RequestValidator.gpuOf(body);
        // The emulator has no GPU: it prices and reports the tier, and runs the sandbox on the CPU.
        config.put("gpu", gpu == null ? null : gpu.wireName());
        SandboxSpec.Builder spec = SandboxSpec.builder().timeout(Duration.ofSeconds(timeout));
        if (body.hasNonNull("memory")) {
            spec.memoryMb(body.get("memory").asInt());
        }
        JsonNode setup = body.get("setup_commands");
        if (setup != null && setup.isArray()) {
            setup.forEach(command -> spec.setupCommand(command.asText()));
        }
        Sandbox sandbox;
        try {
            sandbox = provider.create(spec.build());
        } catch (SandboxException e) {
            return ApiResponse.serviceFailed("Sandbox creation failed: " + e.getMessage());
        }
        String id = "sb-" + HexFormat.of().formatHex(randomBytes());
        Hosted hosted = new Hosted(sandbox, config);
        sandboxes.put(id, hosted);
        try {
            hosted.reap = reaper.schedule(hosted::end, timeout, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            hosted.end(); // the emulator is stopping
        }
        ObjectNode response = ApiResponse.JSON.createObjectNode();
        response.put("sandbox_id", id);
        response.put("status", "running");
        response.put("created_at", clock.instant().toString());
        response.set("config", config);
        return ApiResponse.ok(response);
    }

    private ApiResponse exec(JsonNode body) {
        String id = body.get("sandbox_id").asText();
        Hosted hosted = sandboxes.get(id);
        if (hosted == null) {
            return notFound(id);
        }
        if (!hosted.running()) {
            return ApiResponse.upstream(404, "Sandbox " + id + " has terminated");
        }
        List<String> command = new ArrayList<>();
        body.get("command").forEach(part -> command.add(part.asText()));
        Duration timeout = body.hasNonNull("timeout")
                ? Duration.ofMillis((long) (body.get("timeout").asDouble() * 1000)) : profile.maxExecTimeout();
        ExecResult result;
        try {
            result = hosted.sandbox.exec(new ExecRequest(command, timeout));
        } catch (SandboxException e) {
            return ApiResponse.serviceFailed("Exec failed: " + e.getMessage());
        }
        ObjectNode response = ApiResponse.JSON.createObjectNode();
        response.put("sandbox_id", id);
        response.put("stdout", result.stdout());
        response.put("stderr", result.stderr());
        response.put("returncode", result.exitCode());
        if (result.timedOut()) {
            response.put("timed_out", true);
        }
        return ApiResponse.ok(response);
    }

    private ApiResponse status(JsonNode body) {
        String id = body.get("sandbox_id").asText();
        Hosted hosted = sandboxes.get(id);
        if (hosted == null) {
            return notFound(id);
        }
        ObjectNode response = ApiResponse.JSON.createObjectNode();
        response.put("sandbox_id", id);
        response.put("status", hosted.running() ? "running" : "terminated");
        response.putNull("returncode");
        return ApiResponse.ok(response);
    }

    private ApiResponse terminate(JsonNode body) {
        String id = body.get("sandbox_id").asText();
        Hosted hosted = sandboxes.get(id);
        if (hosted == null) {
            return notFound(id);
        }
        hosted.end();
        ObjectNode response = ApiResponse.JSON.createObjectNode();
        response.put("sandbox_id", id);
        response.put("status", "terminated");
        return ApiResponse.ok(response);
    }

    int running() {
        return (int) sandboxes.values().stream().filter(Hosted::running).count();
    }

    /** Ends the sandbox a create made when its payment could not settle: an unpaid sandbox must not live on. */
    void discard(String id) {
        Hosted hosted = id == null ? null : sandboxes.remove(id);
        if (hosted != null) {
            hosted.end();
        }
    }

    void terminateAll() {
        reaper.shutdownNow();
        sandboxes.values().forEach(Hosted::end);
    }

    /** The sandbox service's answer to an unknown id (a FastAPI 404), passed through by BlockRun. */
    private static ApiResponse notFound(String id) {
        return ApiResponse.upstream(404, "Sandbox " + id + " not found");
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
