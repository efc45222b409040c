package io.sandbox402.x402;

import static io.sandbox402.internal.Checks.ensureNotNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Every payment signed and its outcome. Thread-safe. The session cap is checked here, atomically with
 * recording the payment, so concurrent calls cannot overshoot it together.
 *
 * <p>With {@link #appendingTo(Path)} each change is also appended to a JSON Lines file and flushed
 * before the request goes out: a payment is written as {@code PENDING} when signed and again when its
 * outcome is known, so a crash loses no record. Read the file by keeping the last line of each
 * {@code id}. A line looks like:
 *
 * <pre>{@code
 * {"id":1,"time":"2026-11-23T05:00:00Z","method":"POST","url":"https://blockrun.ai/api/v1/modal/sandbox/exec",
 *  "network":"eip155:8453","asset":"0x8335...","payTo":"0x...","payer":"0x...","amount":"1000","usd":"0.001",
 *  "nonce":"0x...","outcome":"SETTLED","transaction":"0x...","reason":null}
 * }</pre>
 */
public final class SpendLedger implements AutoCloseable {
    private final List<LedgerEntry> entries = new ArrayList<>();
    private final Path file;
    private OutputStream out;

    /** A ledger kept in memory. */
    public SpendLedger() {
        this(null);
    }

    private SpendLedger(Path file) {
        this.file = file;
    }

    /** A ledger that also appends every change to {@code jsonl}, creating it and its directories if needed. */
    public static SpendLedger appendingTo(Path jsonl) {
        ensureNotNull(jsonl, "jsonl");
        try {
            Path parent = jsonl.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the ledger's directory for " + jsonl, e);
        }
        return new SpendLedger(jsonl);
    }

    /** The entries in the order they were signed, each with its latest outcome. */
    public synchronized List<LedgerEntry> entries() {
        return List.copyOf(entries);
    }

    public synchronized int count() {
        return entries.size();
    }

    /** US dollars settled. */
    public synchronized BigDecimal totalSettled() {
        return sum(true);
    }

    /** US dollars settled, pending or of unknown outcome: what the session cap counts. */
    public synchronized BigDecimal totalCommitted() {
        return sum(false);
    }

    private BigDecimal sum(boolean settledOnly) {
        BigDecimal total = BigDecimal.ZERO;
        for (LedgerEntry entry : entries) {
            if (settledOnly ? entry.outcome() == LedgerEntry.Outcome.SETTLED : entry.outcome().commits()) {
                total = total.add(entry.usd());
            }
        }
        return total;
    }

    /**
     * Records a signed payment as {@code PENDING} if the session cap allows it (a cleanup call is
     * always allowed, see {@link PaymentTag#cleanup()}).
     *
     * @throws PaymentRefusedException when it would take committed spend above {@code policy}'s session cap
     */
    synchronized LedgerEntry reserve(LedgerEntry pending, PaymentPolicy policy, PaymentQuote quote, boolean cleanup) {
        BigDecimal committed = sum(false);
        if (!cleanup && committed.add(pending.usd()).compareTo(policy.maxSessionCost()) > 0) {
            throw policy.sessionCapExceeded(quote, committed);
        }
        LedgerEntry entry = new LedgerEntry(entries.size() + 1, pending.time(), pending.method(), pending.url(),
                pending.network(), pending.asset(), pending.payTo(), pending.payer(), pending.amount(), pending.usd(),
                pending.nonce(), LedgerEntry.Outcome.PENDING, null, null);
        entries.add(entry);
        append(entry);
        return entry;
    }

    /** Records what became of a reserved payment. */
    synchronized LedgerEntry update(LedgerEntry entry, LedgerEntry.Outcome outcome, String transaction, String reason) {
        LedgerEntry updated = entry.withOutcome(outcome, transaction, reason);
        entries.set((int) entry.id() - 1, updated);
        append(updated);
        return updated;
    }

    private void append(LedgerEntry entry) {
        if (file == null) {
            return;
        }
        ObjectNode line = X402Codec.JSON.createObjectNode();
        line.put("id", entry.id());
        line.put("time", entry.time().toString());
        line.put("method", entry.method());
        line.put("url", entry.url());
        line.put("network", entry.network() == null ? null : entry.network().caip2());
        line.put("asset", entry.asset());
        line.put("payTo", entry.payTo());
        line.put("payer", entry.payer());
        line.put("amount", entry.amount().toString());
        line.put("usd", entry.usd().toPlainString());
        line.put("nonce", entry.nonce());
        line.put("outcome", entry.outcome().name());
        line.put("transaction", entry.transaction());
        line.put("reason", entry.reason());
        try {
            if (out == null) {
                out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the spend ledger " + file
                    + "; the payment is not made. Check that the file is writable.", e);
        }
    }

    /** Closes the JSONL file, if any; a later payment opens it again. The entries stay in memory. */
    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close the spend ledger " + file, e);
            } finally {
                out = null;
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "SpendLedger{payments=" + entries.size() + ", settled=" + Usdc.format(sum(true))
                + ", committed=" + Usdc.format(sum(false)) + (file == null ? "" : ", file=" + file) + "}";
    }
}
