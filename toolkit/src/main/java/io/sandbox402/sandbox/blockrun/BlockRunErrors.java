package io.sandbox402.sandbox.blockrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.PaymentRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns BlockRun's error answers into exceptions that say what happened, whether money moved, and
 * what to do next. None of BlockRun's errors is charged: payment settles only after the sandbox
 * service answered successfully.
 */
final class BlockRunErrors {
    private BlockRunErrors() {}

    static BlockRunException from(String operation, String url, int status, String retryAfter, String text,
            ObjectNode request, int retries) {
        JsonNode body = readOrNull(text);
        String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : BlockRunApi.abbreviate(text);
        String sandboxId = request.hasNonNull("sandbox_id") ? request.get("sandbox_id").asText() : null;
        if (sandboxId != null && status >= 400 && status < 500 && status != 429 && mentionsUnknownSandbox(status, body)) {
            return new SandboxNotFoundException(status, "Sandbox " + sandboxId + " is not known to BlockRun (" + status + " "
                    + error + details(body) + "): it was terminated, timed out or never existed. Nothing was charged."
                    + " Create a new sandbox.");
        }
        return switch (status) {
            case 400 -> new BlockRunException(status, "BlockRun rejected the " + operation + " request (400 " + error + ")"
                    + details(body) + ". Fix the request; it was not charged.");
            case 402 -> new BlockRunException(status, "BlockRun still asks for payment for " + operation + " (402 "
                    + error + "). The payment was not accepted; nothing more was signed and nothing was charged.");
            case 403 -> new BlockRunException(status, "BlockRun refused the " + operation + " request (403 " + error
                    + "): its content policy blocked it. Nothing was charged. Change the code or command.");
            case 404 -> new BlockRunException(status, "BlockRun has no endpoint " + url + " (404 " + error + ")"
                    + (body != null && body.has("available") ? "; it offers " + body.get("available") : "")
                    + ". Nothing was charged. Check BLOCKRUN_API_URL (it ends in /api).");
            case 429 -> new BlockRunException(status, "BlockRun is rate limiting " + operation + " (429"
                    + (retryAfter == null ? "" : ", Retry-After " + retryAfter + " s") + ")"
                    + (retries < 0 ? "; a paid " + operation + " is not retried automatically"
                            : "; retried " + retries + " times") + ". Nothing was charged. Slow down and try again later.");
            case 502 -> new UpstreamFailureException(status, "BlockRun's sandbox service failed on " + operation + " (502 "
                    + error + details(body) + "). Payment was NOT charged. "
                    + ("create".equals(operation) ? "Try again." : "The sandbox may have run part of it; check its state before repeating."));
            case 503 -> new ServiceUnavailableException("BlockRun's sandbox service is paused or not configured (503 " + error
                    + "). Nothing ran and nothing was charged. Try again later.");
            case 504 -> new UpstreamFailureException(status, "BlockRun's upstream timed out on " + operation + " (504 " + error
                    + "); the call was not charged. Try again, perhaps with a shorter command or timeout.");
            default -> new BlockRunException(status, "BlockRun failed on " + operation + " (" + status + " " + error + ")"
                    + details(body) + ". Nothing was charged." + (status >= 500 ? " Try again later." : ""));
        };
    }

    /**
     * The x402 layer's rejection of a paid call, made specific with BlockRun's answer (kept by {@link
     * RejectionCapture}); {@code null} when the answer says nothing more than the rejection.
     */
    static BlockRunException fromRejection(String operation, PaymentRejectedException rejection, JsonNode body) {
        if (body == null) {
            return null;
        }
        String code = body.path("code").asText("");
        String error = body.path("error").asText("");
        String said = body.hasNonNull("message") ? body.get("message").asText()
                : body.hasNonNull("details") ? text(body.get("details")) : error;
        if (error.toLowerCase(Locale.ROOT).contains("settlement failed")) {
            return new SettlementFailedException("BlockRun ran the " + operation + " but its payment did not settle (402 "
                    + error + (said.equals(error) ? "" : ": " + said) + "). Nothing was charged, but the call took effect"
                    + ("create".equals(operation) ? " (a sandbox may exist until its timeout)" : " (the command ran)")
                    + " and its answer is lost. Check the wallet, then repeat the call if needed.", rejection);
        }
        String meaning = switch (code) {
            case "PAYMENT_INVALID" -> "the signed payment is invalid";
            case "PAYMENT_UNFUNDED" -> "the wallet has not enough USDC, or the authorization expired before it arrived."
                    + " Fund the wallet (or check the clock) and try again";
            case "PAYMENT_BLOCKHASH_STALE" -> "the payment was signed against stale chain state. Try again";
            case "PAYMENT_REPLAY" -> "this authorization was used already; each request signs a fresh one, so an earlier"
                    + " delivery of the same request may have been served and charged. Check before repeating";
            default -> null;
        };
        if (meaning == null) {
            return null;
        }
        return new BlockRunPaymentException(code, "BlockRun refused the payment for " + operation + " (402 " + code
                + (said.isEmpty() ? "" : ": " + said) + "): " + meaning + ". The " + operation + " did not run and this"
                + " payment was not charged; nothing more was signed.", rejection);
    }

    /** A 404 naming no endpoint list, or the sandbox service's passed-through 4xx about the sandbox. */
    private static boolean mentionsUnknownSandbox(int status, JsonNode body) {
        if (body == null) {
            return status == 404;
        }
        if (body.has("available")) {
            return false; // an unknown endpoint
        }
        if (status == 404) {
            return true;
        }
        if (!"Bad Request".equalsIgnoreCase(body.path("error").asText()) || !body.has("details")) {
            return false;
        }
        String details = text(body.get("details")).toLowerCase(Locale.ROOT);
        return details.contains("sandbox") && (details.contains("not found") || details.contains("unknown")
                || details.contains("no such") || details.contains("does not exist") || details.contains("terminated")
                || details.contains("invalid"));
    }

    /** BlockRun's details, as {@code : command: Expected array, received string (expected array)}. */
    private static String details(JsonNode body) {
        JsonNode details = body == null ? null : body.get("details");
        if (details == null || details.isNull()) {
            return "";
        }
        if (!details.isArray()) {
            return ": " + BlockRunApi.abbreviate(text(details));
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

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
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
