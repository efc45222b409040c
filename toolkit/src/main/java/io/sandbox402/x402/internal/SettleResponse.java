package io.sandbox402.x402.internal;

/**
 * The server's settlement of a payment, from the {@code PAYMENT-RESPONSE} header.
 *
 * @param success whether the transfer went through
 * @param transaction the transaction hash, when settled
 * @param network the network it settled on
 * @param payer the paying address
 * @param errorReason why it failed, when it did
 */
public record SettleResponse(boolean success, String transaction, String network, String payer, String errorReason) {}
