package io.sandbox402.x402;

import static io.sandbox402.internal.Checks.ensureNotNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;

/**
 * One payment signed, and what became of it.
 *
 * @param id the ledger's sequence number for this payment, stable across its outcome updates
 * @param time when it was signed
 * @param method the HTTP method of the paid request
 * @param url the paid URL
 * @param network the network
 * @param asset the token contract
 * @param payTo the payee
 * @param payer the paying address
 * @param amount atomic USDC units
 * @param usd the same in US dollars
 * @param nonce the authorization's nonce, which identifies it on chain
 * @param outcome what became of it
 * @param transaction the settlement's transaction hash, when settled
 * @param reason why it was rejected, unused or unknown
 */
public record LedgerEntry(
        long id,
        Instant time,
        String method,
        String url,
        Network network,
        String asset,
        String payTo,
        String payer,
        BigInteger amount,
        BigDecimal usd,
        String nonce,
        Outcome outcome,
        String transaction,
        String reason) {

    /** What became of a signed payment. */
    public enum Outcome {
        /** Signed and sent; no answer yet. Counts against the session cap. */
        PENDING,
        /** The server settled it. */
        SETTLED,
        /** The server refused it; no money moved. */
        REJECTED,
        /** The connection failed after it was sent: it may have settled. Counts against the session cap. */
        UNKNOWN,
        /** Never used: a pre-payment the server answered with 402, or a call the server failed without settling. */
        UNUSED;

        /** Whether money moved or may have moved. */
        public boolean commits() {
            return this == PENDING || this == SETTLED || this == UNKNOWN;
        }
    }

    public LedgerEntry {
        ensureNotNull(time, "time");
        ensureNotNull(amount, "amount");
        ensureNotNull(usd, "usd");
        ensureNotNull(outcome, "outcome");
    }

    LedgerEntry withOutcome(Outcome outcome, String transaction, String reason) {
        return new LedgerEntry(id, time, method, url, network, asset, payTo, payer, amount, usd, nonce, outcome,
                transaction, reason);
    }
}
