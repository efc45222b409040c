package io.sandbox402.x402.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The server's settlement of a payment, from the {@code PAYMENT-RESPONSE} header, bound from and to
 * its JSON by {@link Json#MAPPER}. Immutable and thread-safe.
 *
 * @param success whether the transfer went through
 * @param transaction the transaction hash, when settled
 * @param network the network it settled on
 * @param payer the paying address
 * @param errorReason why it failed, when it did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SettleResponse(boolean success, @Nullable String transaction, @Nullable String network, @Nullable String payer,
        @Nullable String errorReason) {}
