package io.sandbox402.x402;

import io.sandbox402.x402.internal.SettleResponse;
import io.sandbox402.x402.internal.X402Codec;
import java.util.Optional;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Records how a paid request ended: the settlement header's verdict when there is one, else what the
 * status implies (a success without a header settled; a failure without one was not charged, as x402
 * servers settle only after the handler succeeded). A settled payment clears the host's rejections; a
 * failed settlement counts as one.
 */
final class SettlementRecorder {
    private final SpendLedger ledger;
    private final HostRejections rejections;

    SettlementRecorder(SpendLedger ledger, HostRejections rejections) {
        this.ledger = ledger;
        this.rejections = rejections;
    }

    /** Records the outcome of {@code signed}, answered with {@code response}, and returns the response. */
    Response settle(Request request, Response response, SignedPayment signed, @Nullable PaymentTag tag) {
        String header = Optional.ofNullable(response.header(X402Codec.PAYMENT_RESPONSE))
                .orElse(response.header(X402Codec.X_PAYMENT_RESPONSE));
        LedgerEntry entry = signed.entry();
        if (header != null) {
            try {
                SettleResponse settle = X402Codec.decodeSettle(header);
                entry = settle.success()
                        ? ledger.update(entry, LedgerEntry.Outcome.SETTLED, settle.transaction(), null)
                        : ledger.update(entry, LedgerEntry.Outcome.REJECTED, null, settle.errorReason());
            } catch (MalformedPaymentRequestException e) {
                entry = ledger.update(entry, response.isSuccessful() ? LedgerEntry.Outcome.SETTLED : LedgerEntry.Outcome.UNKNOWN,
                        null, "unreadable " + X402Codec.PAYMENT_RESPONSE + " header: " + e.getMessage());
            }
        } else if (response.code() < 400) {
            entry = ledger.update(entry, LedgerEntry.Outcome.SETTLED, null, "the server sent no " + X402Codec.PAYMENT_RESPONSE + " header");
        } else {
            // x402 servers settle only after the handler succeeded, so a failed call is not charged.
            entry = ledger.update(entry, LedgerEntry.Outcome.UNUSED, null,
                    "the server answered " + response.code() + " without settling");
        }
        PaymentTag.record(tag, entry);
        String host = request.url().host();
        if (entry.outcome() == LedgerEntry.Outcome.SETTLED) {
            rejections.settled(host);
        } else if (entry.outcome() == LedgerEntry.Outcome.REJECTED) {
            rejections.rejected(host, entry.validBefore(), "a failed settlement ("
                    + (entry.reason() == null ? "no reason given" : entry.reason()) + ")");
        }
        // A 5xx without settlement (BlockRun's "Payment was NOT charged") is a failed call, not a refused payment:
        // its authorization counts against the session cap until validBefore, but it does not stop paying the host,
        // which would halt every worker of an evaluation after two upstream failures in a row.
        return response;
    }
}
