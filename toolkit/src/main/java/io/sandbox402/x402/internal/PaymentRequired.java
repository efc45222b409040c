package io.sandbox402.x402.internal;

import static io.sandbox402.internal.Checks.ensureNotNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A 402's payment requirements.
 *
 * <p>Immutable (its JSON trees are copied in and out) and thread-safe.
 *
 * @param x402Version 2 (header) or 1 (body)
 * @param error the server's explanation, for instance {@code PAYMENT-SIGNATURE header is required}
 * @param resource what is being paid for ({@code url}, {@code description}, {@code mimeType}); {@code null} in version 1
 * @param accepts the ways to pay
 * @param extensions protocol extensions, echoed in the payment; {@code null} when absent
 */
public record PaymentRequired(
        int x402Version, @Nullable String error, @Nullable ObjectNode resource, List<PaymentRequirements> accepts, @Nullable ObjectNode extensions) {

    /**
     * Checks the version and copies the list and the JSON trees.
     *
     * @param x402Version 2 (header) or 1 (body)
     * @param error the server's explanation, for instance {@code PAYMENT-SIGNATURE header is required}
     * @param resource what is being paid for ({@code url}, {@code description}, {@code mimeType}); {@code null} in version 1
     * @param accepts the ways to pay
     * @param extensions protocol extensions, echoed in the payment; {@code null} when absent
     * @throws IllegalArgumentException when {@code x402Version} is not 1 or 2 or {@code accepts} is null
     */
    public PaymentRequired {
        if (x402Version != 1 && x402Version != 2) {
            throw new IllegalArgumentException("x402Version must be 1 or 2, was " + x402Version);
        }
        accepts = List.copyOf(ensureNotNull(accepts, "accepts"));
        resource = resource == null ? null : resource.deepCopy();
        extensions = extensions == null ? null : extensions.deepCopy();
    }

    /** {@return a copy of what is being paid for, or {@code null} in version 1} A copy, so the record stays immutable. */
    @Override
    public @Nullable ObjectNode resource() {
        return resource == null ? null : resource.deepCopy();
    }

    /** {@return a copy of the protocol extensions, or {@code null} when absent} A copy, so the record stays immutable. */
    @Override
    public @Nullable ObjectNode extensions() {
        return extensions == null ? null : extensions.deepCopy();
    }
}
