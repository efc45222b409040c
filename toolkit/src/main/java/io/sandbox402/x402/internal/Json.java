package io.sandbox402.x402.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one {@link ObjectMapper} of the x402 code: the codec, the ledger's file and the emulator's
 * x402 server read and write JSON through it. Unknown fields are ignored, since x402 messages carry
 * fields this client need not know. Thread-safe once configured; nobody reconfigures it.
 */
public final class Json {
    /** The shared mapper. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}
}
