package io.sandbox402.x402.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one {@link ObjectMapper} of the toolkit: the codec, the ledger's file, the BlockRun client, the
 * background commands, the Python kernel and the emulator read and write JSON through it. Unknown fields are ignored, since x402 messages carry
 * fields this client need not know. Thread-safe once configured; nobody reconfigures it.
 */
public final class Json {
    /** The shared mapper. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}
}
