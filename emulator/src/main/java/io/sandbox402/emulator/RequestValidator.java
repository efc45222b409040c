package io.sandbox402.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.sandbox.Gpu;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a request body against a {@link BlockRunProfile} before any payment is asked for, and answers
 * a failure in BlockRun's shape, which is zod's: every issue is listed, each with its {@code path} and
 * message, for instance {@code {"path":["command",3],"message":"String must contain at most 2000 character(s)"}}.
 * Unknown fields are one issue with an empty path and the {@code keys}, as zod's {@code .strict()} reports them.
 */
final class RequestValidator {
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "create", Set.of("image", "timeout", "cpu", "memory", "gpu", "setup_commands"),
            "exec", Set.of("sandbox_id", "command", "timeout"),
            "status", Set.of("sandbox_id"),
            "terminate", Set.of("sandbox_id"));

    private final BlockRunProfile profile;
    private final ArrayNode issues = ApiResponse.JSON.createArrayNode();

    private RequestValidator(BlockRunProfile profile) {
        this.profile = profile;
    }

    /** The 400 for {@code body}, or {@code null} when it is valid. */
    static ApiResponse check(BlockRunProfile profile, String operation, JsonNode body) {
        RequestValidator validator = new RequestValidator(profile);
        validator.validate(operation, body);
        if (validator.issues.isEmpty()) {
            return null;
        }
        ObjectNode answer = ApiResponse.JSON.createObjectNode();
        answer.put("error", "Invalid request body");
        answer.set("details", validator.issues);
        return new ApiResponse(400, answer);
    }

    /** The GPU of a valid create body, {@code null} for a CPU sandbox. */
    static Gpu gpuOf(JsonNode body) {
        JsonNode gpu = body.get("gpu");
        return gpu == null || gpu.isNull() ? null : Gpu.parse(gpu.asText());
    }

    private void validate(String operation, JsonNode body) {
        if (profile.strict()) {
            List<String> unknown = new ArrayList<>();
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.get(operation).contains(name)) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                ObjectNode issue = issue("Unrecognized key(s) in object: "
                        + unknown.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", ")));
                unknown.forEach(issue.putArray("keys")::add);
                issue.put("code", "unrecognized_keys");
            }
        }
        switch (operation) {
            case "create" -> create(body);
            case "exec" -> exec(body);
            default -> sandboxId(body);
        }
    }

    private void create(JsonNode body) {
        JsonNode image = body.get("image");
        if (present(image) && text(image, "image") && !profile.images().isEmpty() && !profile.images().contains(image.asText())) {
            issue("Invalid literal value, expected " + profile.images().stream().sorted().map(i -> "\"" + i + "\"")
                    .collect(Collectors.joining(" | ")), "image");
        }
        Gpu gpu = null;
        JsonNode gpuNode = body.get("gpu");
        if (present(gpuNode) && text(gpuNode, "gpu")) {
            try {
                gpu = Gpu.parse(gpuNode.asText());
            } catch (IllegalArgumentException e) {
                gpu = null;
            }
            if (gpu == null || !profile.gpus().contains(gpu) || (profile.strict() && !gpu.wireName().equals(gpuNode.asText()))) {
                issue("Invalid enum value. Expected " + profile.gpus().stream().sorted().map(g -> "'" + g.wireName() + "'")
                        .collect(Collectors.joining(" | ")) + ", received '" + gpuNode.asText() + "'", "gpu");
                gpu = null;
            }
        }
        boolean withGpu = present(gpuNode);
        JsonNode timeout = body.get("timeout");
        if (present(timeout) && number(timeout, "timeout", profile.strict())) {
            range(timeout, "timeout", profile.minCreateTimeout().toSeconds(), profile.maxCreateTimeout().toSeconds(), "");
        }
        JsonNode cpu = body.get("cpu");
        if (present(cpu) && number(cpu, "cpu", false)) {
            range(cpu, "cpu", Double.MIN_VALUE, profile.maxCpu(withGpu), withGpu ? " with a gpu" : " without a gpu");
        }
        JsonNode memory = body.get("memory");
        if (present(memory) && number(memory, "memory", profile.strict())) {
            range(memory, "memory", 1, profile.maxMemoryMb(withGpu), withGpu ? " with a gpu" : " without a gpu");
        }
        JsonNode setup = body.get("setup_commands");
        if (present(setup)) {
            if (!setup.isArray()) {
                issue("Expected array, received " + type(setup), "setup_commands").put("expected", "array");
            } else if (!profile.setupCommands() && !setup.isEmpty()) {
                issue("setup_commands are not supported: create the sandbox, then install with exec", "setup_commands");
            } else {
                for (int i = 0; i < setup.size(); i++) {
                    text(setup.get(i), "setup_commands", i);
                }
            }
        }
    }

    private void exec(JsonNode body) {
        sandboxId(body);
        JsonNode command = body.get("command");
        if (!present(command)) {
            issue("Required", "command").put("expected", "array");
        } else if (!command.isArray()) {
            issue("Expected array, received " + type(command), "command").put("expected", "array");
        } else if (command.isEmpty()) {
            issue("Array must contain at least 1 element(s)", "command");
        } else if (command.size() > profile.maxCommandSegments()) {
            issue("Array must contain at most " + profile.maxCommandSegments() + " element(s)", "command");
        } else {
            for (int i = 0; i < command.size(); i++) {
                JsonNode segment = command.get(i);
                if (text(segment, "command", i) && segment.asText().length() > profile.maxSegmentChars()) {
                    issue("String must contain at most " + profile.maxSegmentChars() + " character(s)", "command", i);
                }
            }
        }
        JsonNode timeout = body.get("timeout");
        if (present(timeout) && number(timeout, "timeout", profile.strict())) {
            range(timeout, "timeout", profile.strict() ? 1 : Double.MIN_VALUE, profile.maxExecTimeout().toSeconds(), "");
        }
    }

    private void sandboxId(JsonNode body) {
        JsonNode id = body.get("sandbox_id");
        if (!present(id)) {
            issue("Required", "sandbox_id").put("expected", "string");
        } else if (text(id, "sandbox_id") && id.asText().isBlank()) {
            issue("String must contain at least 1 character(s)", "sandbox_id");
        }
    }

    private void range(JsonNode value, String field, double min, double max, String condition) {
        // "expected" is not zod's, but BlockRun's clients print it and the emulator has always sent it
        if (value.asDouble() < min) {
            issue(min == Double.MIN_VALUE ? "Number must be greater than 0"
                    : "Number must be greater than or equal to " + format(min) + condition, field).put("expected", "number");
        } else if (value.asDouble() > max) {
            issue("Number must be less than or equal to " + format(max) + condition, field).put("expected", "number");
        }
    }

    private boolean number(JsonNode value, String field, boolean integer) {
        if (!value.isNumber()) {
            issue("Expected number, received " + type(value), field).put("expected", "number");
            return false;
        }
        if (integer && !value.canConvertToExactIntegral()) {
            issue("Expected integer, received float", field).put("expected", "integer");
            return false;
        }
        return true;
    }

    private boolean text(JsonNode value, Object... path) {
        if (value == null || !value.isTextual()) {
            issue("Expected string, received " + type(value), path).put("expected", "string");
            return false;
        }
        return true;
    }

    private ObjectNode issue(String message, Object... path) {
        ObjectNode issue = issues.addObject();
        ArrayNode p = issue.putArray("path");
        for (Object part : path) {
            if (part instanceof Integer index) {
                p.add(index);
            } else {
                p.add(part.toString());
            }
        }
        issue.put("message", message);
        return issue;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    static String type(JsonNode node) {
        return node == null || node.isNull() ? "null" : node.isTextual() ? "string" : node.isNumber() ? "number"
                : node.isBoolean() ? "boolean" : node.isArray() ? "array" : node.isObject() ? "object" : "null";
    }
}
