package io.sandbox402.x402;

import static io.sandbox402.internal.Checks.ensureNotNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One payment signed, and what became of it.
 *
 * <p>Immutable and thread-safe.
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
 * @param validBefore the authorization's {@code validBefore}: until then whoever holds it can settle it
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
        Instant validBefore,
        Outcome outcome,
        @Nullable String transaction,
        @Nullable String reason) {

    /**
     * What became of a signed payment. Whatever the outcome, the server was handed a valid signed
     * authorization: until its {@code validBefore} it can still settle it on chain, so every outcome
     * but {@code SETTLED} is <em>exposed</em> until then (see {@link SpendLedger#totalExposed()}), and
     * the session cap counts it.
     */
    public enum Outcome {
        /** Signed and sent; no answer yet. Counts against the session cap until its outcome is known. */
        PENDING,
        /** The server settled it: spent, and counted against the session cap for good. */
        SETTLED,
        /**
         * The server said no (a 402 after paying, or a settlement that failed): as far as the client
         * knows no money moved, but the server holds the authorization, so it counts against the
         * session cap until its {@code validBefore}.
         */
        REJECTED,
        /**
         * The connection failed after it was sent, or the server says its nonce was used: it may have
         * settled. Counts against the session cap for good.
         */
        UNKNOWN,
        /**
         * Not settled by the server: a pre-payment answered with 402, or a call the server failed
         * without settling. Counts against the session cap until its {@code validBefore}, like
         * {@code REJECTED}.
         */
        UNUSED;

        /** {@return whether money moved or may have moved: settled, pending or unknown} */
        public boolean commits() {
            return this == PENDING || this == SETTLED || this == UNKNOWN;
        }
    }

    /**
     * Checks the components.
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
     * @param validBefore the authorization's {@code validBefore}: until then whoever holds it can settle it
     * @param outcome what became of it
     * @param transaction the settlement's transaction hash, when settled
     * @param reason why it was rejected, unused or unknown
     * @throws IllegalArgumentException when {@code time}, {@code amount}, {@code usd}, {@code validBefore} or
     *     {@code outcome} is null
     */
    public LedgerEntry {
        ensureNotNull(time, "time");
        ensureNotNull(amount, "amount");
        ensureNotNull(usd, "usd");
        ensureNotNull(validBefore, "validBefore");
        ensureNotNull(outcome, "outcome");
    }

    /**
     * Whether the payee could still settle this authorization at {@code time}: it is not settled, and
     * {@code time} is before its {@code validBefore} (EIP-3009 requires {@code now < validBefore}).
     *
     * @param time the moment to ask about, usually now
     * @return true when the authorization could still be settled then
     */
    public boolean isExposedAt(Instant time) {
        return outcome != Outcome.SETTLED && time.isBefore(validBefore);
    }

    LedgerEntry withOutcome(Outcome outcome, String transaction, String reason) {
        return new LedgerEntry(id, time, method, url, network, asset, payTo, payer, amount, usd, nonce, validBefore,
                outcome, transaction, reason);
    }

    LedgerEntry withId(long id) {
        return new LedgerEntry(id, time, method, url, network, asset, payTo, payer, amount, usd, nonce, validBefore,
                Outcome.PENDING, null, null);
    }
}
