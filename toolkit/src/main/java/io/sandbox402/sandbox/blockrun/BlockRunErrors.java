package io.sandbox402.sandbox.blockrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Turns BlockRun's error answers into exceptions that say what happened and what to do next. */
final class BlockRunErrors {
    private BlockRunErrors() {}

    static BlockRunException from(String operation, String url, int status, String retryAfter, String text,
            ObjectNode request, int retries) {
        JsonNode body = readOrNull(text);
        String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : BlockRunApi.abbreviate(text);
        String sandboxId = request.hasNonNull("sandbox_id") ? request.get("sandbox_id").asText() : null;
        return switch (status) {
            case 400 -> new BlockRunException(status, "BlockRun rejected the " + operation + " request (400 " + error + ")"
                    + details(body) + ". Fix the request; it was not charged.");
            case 402 -> new BlockRunException(status, "BlockRun still asks for payment for " + operation + " (402 "
                    + error + "). The payment was not accepted; nothing more was signed.");
            case 403 -> new BlockRunException(status, "BlockRun refused the " + operation + " request (403 " + error
                    + "): its content policy blocked it. Change the code or command.");
            case 404 -> new SandboxNotFoundException("Sandbox " + sandboxId + " is not known to BlockRun (404 " + error
                    + "): it was terminated, timed out or never existed. Create a new sandbox.");
            case 429 -> new BlockRunException(status, "BlockRun is rate limiting " + operation + " (429"
                    + (retryAfter == null ? "" : ", Retry-After " + retryAfter + " s") + ")"
                    + (retries < 0 ? "; a paid " + operation + " is not retried automatically"
                            : "; retried " + retries + " times") + ". Slow down and try again later.");
            case 503 -> new BlockRunException(status, "BlockRun's sandbox service is not available (503 " + error
                    + "). Try again later.");
            case 504 -> new BlockRunException(status, "BlockRun's upstream timed out on " + operation + " (504 " + error
                    + "); the call was not charged. Try again, perhaps with a shorter command or timeout.");
            default -> new BlockRunException(status, "BlockRun failed on " + operation + " (" + status + " " + error + ")"
                    + (status >= 500 ? ". Try again later." : "."));
        };
    }

    /** BlockRun's 400 details, as {@code : command: Expected array, received string (expected array)}. */
    private static String details(JsonNode body) {
        JsonNode details = body == null ? null : body.get("details");
        if (details == null || details.isNull()) {
            return "";
        }
        if (!details.isArray()) {
            return ": " + (details.isValueNode() ? details.asText() : details.toString());
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode detail : details) {
            List<String> path = new ArrayList<>();
            detail.path("path").forEach(part -> path.add(part.asText()));
            String text = (path.isEmpty() ? "" : String.join(".", path) + ": ") + detail.path("message").asText("invalid");
            if (detail.hasNonNull("expected")) {
                text += " (expected " + detail.get("expected").asText() + ")";
            }
            parts.add(text);
        }
        return ": " + String.join("; ", parts);
    }

    private static JsonNode readOrNull(String text) {
        try {
            JsonNode node = BlockRunApi.JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }
}
