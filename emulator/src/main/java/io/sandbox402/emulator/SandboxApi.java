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

/**
 * BlockRun's four sandbox operations over a {@link SandboxProvider}: request validation in BlockRun's
 * 400 shape, emulator ids ({@code sb-...}) mapped to the provider's sandboxes, and terminated
 * sandboxes remembered so that status and terminate still answer for them.
 */
final class SandboxApi {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxProvider provider;
    private final Clock clock;
    private final int maxExecTimeoutSeconds;
    private final Map<String, Hosted> sandboxes = new ConcurrentHashMap<>();

    private record Hosted(Sandbox sandbox, ObjectNode config) {}

    SandboxApi(SandboxProvider provider, Clock clock, int maxExecTimeoutSeconds) {
        this.provider = provider;
        this.clock = clock;
        this.maxExecTimeoutSeconds = maxExecTimeoutSeconds;
    }

    /** The GPU a create asks for; throws {@link Invalid} for an unknown one. Needed before the price is known. */
    static Gpu gpuOf(String operation, JsonNode body) {
        JsonNode gpu = body.get("gpu");
        if (!"create".equals(operation) || gpu == null || gpu.isNull()) {
            return null;
        }
        if (!gpu.isTextual()) {
            throw new Invalid(ApiResponse.invalid("gpu", "Expected string, received " + type(gpu), "string"));
        }
        try {
            return Gpu.parse(gpu.asText());
        } catch (IllegalArgumentException e) {
            throw new Invalid(ApiResponse.invalid("gpu", "Invalid enum value. Expected " + Gpu.names() + ", received '"
                    + gpu.asText() + "'", Gpu.names()));
        }
    }

    /** Checks a body before any payment is asked for, as BlockRun validates first. */
    void validate(String operation, JsonNode body) {
        switch (operation) {
            case "create" -> {
                positive(body, "timeout");
                positive(body, "cpu");
                positive(body, "memory");
                optionalText(body, "image");
                JsonNode setup = body.get("setup_commands");
                if (setup != null && !setup.isNull() && !isTextArray(setup)) {
                    throw new Invalid(ApiResponse.invalid("setup_commands", "Expected array of strings", "array"));
                }
                gpuOf(operation, body);
            }
            case "exec" -> {
                sandboxId(body);
                JsonNode command = body.get("command");
                if (command == null || command.isNull()) {
                    throw new Invalid(ApiResponse.invalid("command", "Required", "array"));
                }
                if (!command.isArray()) {
                    throw new Invalid(ApiResponse.invalid("command", "Expected array, received " + type(command), "array"));
                }
                if (command.isEmpty() || !isTextArray(command)) {
                    throw new Invalid(ApiResponse.invalid("command", "Expected a non-empty array of strings", "array"));
                }
                positive(body, "timeout");
                if (body.hasNonNull("timeout") && body.get("timeout").asDouble() > maxExecTimeoutSeconds) {
                    throw new Invalid(ApiResponse.invalid("timeout", "Number must be less than or equal to "
                            + maxExecTimeoutSeconds, "number"));
                }
            }
            case "status", "terminate" -> sandboxId(body);
            default -> throw new IllegalArgumentException(operation);
        }
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
        SandboxSpec.Builder spec = SandboxSpec.builder();
        ObjectNode config = ApiResponse.JSON.createObjectNode();
        config.put("image", body.path("image").asText("python:3.11"));
        config.put("timeout", body.path("timeout").asInt(300));
        config.put("cpu", body.path("cpu").asDouble(1.0));
        config.put("memory", body.path("memory").asInt(512));
        Gpu gpu = gpuOf("create", body);
        // The emulator has no GPU: it prices and reports the tier, and runs the sandbox on the CPU.
        config.put("gpu", gpu == null ? null : gpu.wireName());
        spec.timeout(Duration.ofSeconds(config.get("timeout").asInt()));
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
            return ApiResponse.error(500, "Sandbox creation failed: " + e.getMessage());
        }
        String id = "sb-" + HexFormat.of().formatHex(randomBytes());
        sandboxes.put(id, new Hosted(sandbox, config));
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
        if (!hosted.sandbox().status().isRunning()) {
            return ApiResponse.error(404, "Sandbox " + id + " is terminated");
        }
        List<String> command = new ArrayList<>();
        body.get("command").forEach(part -> command.add(part.asText()));
        Duration timeout = body.hasNonNull("timeout") ? Duration.ofMillis((long) (body.get("timeout").asDouble() * 1000)) : null;
        ExecResult result;
        try {
            result = hosted.sandbox().exec(new ExecRequest(command, timeout));
        } catch (SandboxException e) {
            return ApiResponse.error(500, "Exec failed: " + e.getMessage());
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
        response.put("status", hosted.sandbox().status().isRunning() ? "running" : "terminated");
        response.putNull("returncode");
        return ApiResponse.ok(response);
    }

    private ApiResponse terminate(JsonNode body) {
        String id = body.get("sandbox_id").asText();
        Hosted hosted = sandboxes.get(id);
        if (hosted == null) {
            return notFound(id);
        }
        hosted.sandbox().terminate();
        ObjectNode response = ApiResponse.JSON.createObjectNode();
        response.put("sandbox_id", id);
        response.put("status", "terminated");
        return ApiResponse.ok(response);
    }

    int running() {
        return (int) sandboxes.values().stream().filter(hosted -> hosted.sandbox().status().isRunning()).count();
    }

    void terminateAll() {
        sandboxes.values().forEach(hosted -> hosted.sandbox().terminate());
    }

    private static ApiResponse notFound(String id) {
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("error", "Sandbox not found");
        body.put("sandbox_id", id);
        return new ApiResponse(404, body);
    }

    private static void sandboxId(JsonNode body) {
        JsonNode id = body.get("sandbox_id");
        if (id == null || id.isNull()) {
            throw new Invalid(ApiResponse.invalid("sandbox_id", "Required", "string"));
        }
        if (!id.isTextual() || id.asText().isBlank()) {
            throw new Invalid(ApiResponse.invalid("sandbox_id", "Expected string, received " + type(id), "string"));
        }
    }

    private static void positive(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && (!value.isNumber() || value.asDouble() <= 0)) {
            throw new Invalid(ApiResponse.invalid(field, value.isNumber()
                    ? "Number must be greater than 0" : "Expected number, received " + type(value), "number"));
        }
    }

    private static void optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw new Invalid(ApiResponse.invalid(field, "Expected string, received " + type(value), "string"));
        }
    }

    private static boolean isTextArray(JsonNode node) {
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static String type(JsonNode node) {
        return node.isTextual() ? "string" : node.isNumber() ? "number" : node.isBoolean() ? "boolean"
                : node.isArray() ? "array" : node.isObject() ? "object" : "null";
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A request that fails validation, answered before payment. */
    static final class Invalid extends RuntimeException {
        final ApiResponse response;

        Invalid(ApiResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }
}
