package io.sandbox402.x402;

import io.sandbox402.x402.internal.PaymentRequirements;

/** One entry of a 402's {@code accepts} that this client can pay, with the network it names. */
record Offer(PaymentRequirements entry, Network network) {}
