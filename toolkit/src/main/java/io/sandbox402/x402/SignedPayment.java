package io.sandbox402.x402;

import io.sandbox402.x402.internal.PaymentPayload;

/** A payment signed and reserved: the payload to send and its ledger entry. */
record SignedPayment(PaymentPayload payload, LedgerEntry entry) {}
