package io.sandbox402.x402.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of a {@code PAYMENT-SIGNATURE} (version 2) or {@code X-PAYMENT} (version 1) header, as
 * {@link Json#MAPPER} binds it: the client writes it from a {@link PaymentPayload}, the emulator reads
 * it back and checks each value. Version 1 fills {@code scheme} and {@code network}; version 2
 * {@code resource}, {@code accepted} and {@code extensions}. Thread-safe as long as nobody changes its
 * JSON trees, which are made for this one message.
 *
 * @param x402Version 1 or 2 (0 when absent)
 * @param scheme version 1's scheme
 * @param network version 1's network
 * @param resource version 2's echoed resource
 * @param accepted version 2's echoed requirements entry
 * @param payload the signature and the authorization
 * @param extensions version 2's echoed extensions
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentHeader(
        int x402Version,
        @Nullable String scheme,
        @Nullable String network,
        @Nullable JsonNode resource,
        @Nullable JsonNode accepted,
        @Nullable Payload payload,
        @Nullable JsonNode extensions) {

    /**
     * The {@code payload} object.
     *
     * @param signature {@code 0x} and 130 hex digits
     * @param authorization the signed transfer
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Payload(@Nullable String signature, @Nullable Transfer authorization) {}

    /**
     * The {@code payload.authorization} object: numbers as decimal strings, as the reference client sends them.
     *
     * @param from the payer
     * @param to the payee
     * @param value atomic units
     * @param validAfter seconds since the epoch
     * @param validBefore seconds since the epoch
     * @param nonce 32 bytes in hex
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Transfer(@Nullable String from, @Nullable String to, @Nullable String value,
            @Nullable String validAfter, @Nullable String validBefore, @Nullable String nonce) {

        /**
         * The wire form of {@code authorization}.
         *
         * @param authorization the signed transfer
         * @return its JSON object, numbers as decimal strings
         */
        public static Transfer of(Authorization authorization) {
            return new Transfer(authorization.from(), authorization.to(), authorization.value().toString(),
                    Long.toString(authorization.validAfter()), Long.toString(authorization.validBefore()),
                    authorization.nonce());
        }
    }
}
