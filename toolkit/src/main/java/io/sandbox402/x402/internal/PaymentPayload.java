package io.sandbox402.x402.internal;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * A signed payment, as sent in {@code PAYMENT-SIGNATURE} (version 2) or {@code X-PAYMENT} (version 1).
 *
 * <p>Immutable (its JSON trees are copied in and out) and thread-safe.
 *
 * @param x402Version 2 or 1
 * @param scheme the scheme paid, {@code exact}
 * @param network the network's name as the server sent it
 * @param resource version 2's echoed {@code resource}; {@code null} in version 1
 * @param accepted version 2's echoed {@code accepted} entry, unchanged; {@code null} in version 1
 * @param signature {@code 0x} and 130 hex digits
 * @param authorization the signed EIP-3009 authorization
 * @param extensions version 2's echoed {@code extensions}; {@code null} when absent
 */
public record PaymentPayload(
        int x402Version,
        String scheme,
        String network,
        @Nullable ObjectNode resource,
        @Nullable ObjectNode accepted,
        String signature,
        Authorization authorization,
        @Nullable ObjectNode extensions) {

    /**
     * Checks the components and copies the JSON trees, so later changes to the caller's trees do not leak in.
     *
     * @param x402Version 2 or 1
     * @param scheme the scheme paid, {@code exact}
     * @param network the network's name as the server sent it
     * @param resource version 2's echoed {@code resource}; {@code null} in version 1
     * @param accepted version 2's echoed {@code accepted} entry, unchanged; {@code null} in version 1
     * @param signature {@code 0x} and 130 hex digits
     * @param authorization the signed EIP-3009 authorization
     * @param extensions version 2's echoed {@code extensions}; {@code null} when absent
     * @throws IllegalArgumentException when {@code scheme}, {@code network} or {@code signature} is blank or
     *     {@code authorization} is null
     */
    public PaymentPayload {
        ensureNotBlank(scheme, "scheme");
        ensureNotBlank(network, "network");
        ensureNotBlank(signature, "signature");
        ensureNotNull(authorization, "authorization");
        resource = resource == null ? null : resource.deepCopy();
        accepted = accepted == null ? null : accepted.deepCopy();
        extensions = extensions == null ? null : extensions.deepCopy();
    }

    /** Never shows the signature. */
    @Override
    public String toString() {
        return "PaymentPayload{x402Version=" + x402Version + ", scheme=" + scheme + ", network=" + network
                + ", from=" + authorization.from() + ", to=" + authorization.to() + ", value=" + authorization.value() + "}";
    }

    /** {@return a copy of version 2's echoed {@code resource}, or {@code null}} A copy, so the record stays immutable. */
    @Override
    public @Nullable ObjectNode resource() {
        return resource == null ? null : resource.deepCopy();
    }

    /** {@return a copy of version 2's echoed {@code accepted} entry, or {@code null}} A copy, so the record stays immutable. */
    @Override
    public @Nullable ObjectNode accepted() {
        return accepted == null ? null : accepted.deepCopy();
    }

    /** {@return a copy of version 2's echoed {@code extensions}, or {@code null}} A copy, so the record stays immutable. */
    @Override
    public @Nullable ObjectNode extensions() {
        return extensions == null ? null : extensions.deepCopy();
    }
}
