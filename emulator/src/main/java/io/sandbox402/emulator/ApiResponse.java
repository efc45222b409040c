package io.sandbox402.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A JSON answer of the emulated API, before payment headers are added. */
record ApiResponse(int status, ObjectNode body) {
    static final ObjectMapper JSON = new ObjectMapper();

    static ApiResponse ok(ObjectNode body) {
        return new ApiResponse(200, body);
    }

    static ApiResponse error(int status, String error) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        return new ApiResponse(status, body);
    }

    /** BlockRun's 400: {@code {"error":"Invalid request body","details":[{"path":[..],"message":..,"expected":..}]}}. */
    static ApiResponse invalid(String field, String message, String expected) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", "Invalid request body");
        ObjectNode detail = body.putArray("details").addObject();
        detail.putArray("path").add(field);
        detail.put("message", message);
        if (expected != null) {
            detail.put("expected", expected);
        }
        return new ApiResponse(400, body);
    }
}
