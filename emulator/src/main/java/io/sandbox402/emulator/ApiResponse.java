package io.sandbox402.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.internal.Json;

/** A JSON answer of the emulated API, before payment headers are added. */
record ApiResponse(int status, ObjectNode body) {
    /** The toolkit's shared x402 mapper, so the emulator and the client read JSON alike. */
    static final ObjectMapper JSON = Json.MAPPER;

    static ApiResponse ok(ObjectNode body) {
        return new ApiResponse(200, body);
    }

    static ApiResponse error(int status, String error) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        return new ApiResponse(status, body);
    }

    /**
     * A 4xx of the sandbox service, passed through as BlockRun does:
     * {@code {"error":"Bad Request","details":{"detail":"Sandbox sb-.. not found"}}}. The emulator's sandbox
     * service answers like a FastAPI app (Modal's), so the upstream body is {@code {"detail":..}}.
     */
    static ApiResponse upstream(int status, String detail) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", "Bad Request");
        body.putObject("details").put("detail", detail);
        return new ApiResponse(status, body);
    }

    /** BlockRun's 502 for a sandbox service failure or timeout: the payment is not settled. */
    static ApiResponse serviceFailed(String what) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", "Sandbox service error");
        body.put("message", what + ". Payment was NOT charged.");
        return new ApiResponse(502, body);
    }

    /** BlockRun's 400: {@code {"error":"Invalid request body","details":[{"path":[..],"message":..,"expected":..}]}}. */
    static ApiResponse invalid(String field, String message, String expected) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", "Invalid request body");
        ObjectNode detail = body.putArray("details").addObject();
        ArrayNode path = detail.putArray("path");
        if (field != null) {
            path.add(field);
        }
        detail.put("message", message);
        if (expected != null) {
            detail.put("expected", expected);
        }
        return new ApiResponse(400, body);
    }
}
