package io.sandbox402.x402;

import static io.sandbox402.internal.Checks.ensureNotNull;
import static io.sandbox402.internal.Checks.ensurePositive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.internal.Json;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Every payment signed and its outcome. Thread-safe. The session cap is checked here, atomically with
 * recording the payment, so concurrent calls cannot overshoot it together.
 *
 * <p>What the session cap counts ({@link #totalAtRisk()}) is everything a server could take: what
 * was settled, what is pending or of unknown outcome, and the authorizations that were rejected or
 * left unused but were handed over and stay valid until their {@code validBefore} (a hostile server
 * can answer 402 and still settle them). So the value of all authorizations that left the process
 * and are not yet known to be unusable never exceeds the session cap (cleanup calls excepted, see
 * {@link PaymentTag#cleanup()}).
 *
 * <p>Bookkeeping costs the same at the ten-thousandth payment as at the first: the totals are kept
 * running, exposed authorizations are ordered by {@code validBefore} and dropped once expired, and
 * only the last {@link Builder#memoryLimit(int) memoryLimit} entries are kept in memory.
 *
 * <p>With a file ({@link #appendingTo(Path)}) each change is also appended to a JSON Lines file and
 * flushed before the request goes out: a payment is written as {@code PENDING} when signed and again
 * when its outcome is known, so a crash loses no record and the file keeps every payment. It holds
 * payers, payees and nonces, so it is created readable and writable by its owner only (0600 on POSIX
 * file systems; an existing file is tightened to that). Read it by keeping the last line of each
 * {@code id}. A line looks like:
 *
 * <pre>{@code
 * {"id":1,"time":"2026-11-23T05:00:00Z","method":"POST","url":"https://blockrun.ai/api/v1/modal/sandbox/exec",
 *  "network":"eip155:8453","asset":"0x8335...","payTo":"0x...","payer":"0x...","amount":"1000","usd":"0.001",
 *  "nonce":"0x...","validBefore":"2026-11-23T05:05:00Z","outcome":"SETTLED","transaction":"0x...","reason":null}
 * }</pre>
 */
public final class SpendLedger implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SpendLedger.class.getName());

    /** Enough to show a long session's payments; at about 1 KB an entry, some 10 MB. */
    public static final int DEFAULT_MEMORY_LIMIT = 10_000;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final @Nullable Path file;
    private final Clock clock;
    /** The last entries, entry {@code id} at {@code (id - 1) % recent.length}. */
    private final LedgerEntry[] recent;
    /** Entries still exposed (not settled, {@code validBefore} after {@link #expiredThrough}), by expiry. */
    private final NavigableMap<Expiry, LedgerEntry> exposed = new TreeMap<>();
    private long count;
    private BigDecimal settled = BigDecimal.ZERO;
    private BigDecimal pending = BigDecimal.ZERO;
    private BigDecimal unknown = BigDecimal.ZERO;
    /** Exposed and pending or unknown: also in {@link #pending} or {@link #unknown}. */
    private BigDecimal exposedOpen = BigDecimal.ZERO;
    /** Exposed and rejected or unused: counted by the session cap on top of the committed total. */
    private BigDecimal exposedVoid = BigDecimal.ZERO;
    /** The latest time exposure was brought up to; time is taken to move forward. */
    private Instant expiredThrough = Instant.MIN;
    private @Nullable OutputStream out;

    /** A ledger kept in memory, on the system clock. */
    public SpendLedger() {
        this(builder());
    }

    private SpendLedger(Builder builder) {
        this.file = builder.file;
        this.clock = builder.clock == null ? Clock.systemUTC() : builder.clock;
        this.recent = new LedgerEntry[builder.memoryLimit == null ? DEFAULT_MEMORY_LIMIT : builder.memoryLimit];
    }

    /**
     * A ledger that also appends every change to {@code jsonl}, creating it (0600) and its directories if needed.
     *
     * @param jsonl the JSON Lines file; an existing one is appended to, never truncated
     * @return a new ledger on the system clock
     * @throws UncheckedIOException when the file's directory cannot be created
     */
    public static SpendLedger appendingTo(Path jsonl) {
        return builder().file(jsonl).build();
    }

    /**
     * A ledger with a file, a clock or a memory limit:
     *
     * <pre>{@code
     * SpendLedger ledger = SpendLedger.builder().file(Path.of("payments.jsonl")).memoryLimit(1_000).build();
     * }</pre>
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The last {@link Builder#memoryLimit(int) memoryLimit} entries (10,000 by default) in the order
     * they were signed, each with its latest outcome. Older ones are only in the file, if any; the
     * totals always count every payment.
     *
     * @return an immutable snapshot, oldest first
     */
    public synchronized List<LedgerEntry> entries() {
        long first = Math.max(1, count - recent.length + 1);
        List<LedgerEntry> entries = new ArrayList<>((int) (count - first + 1));
        for (long id = first; id <= count; id++) {
            entries.add(recent[slot(id)]);
        }
        return List.copyOf(entries);
    }

    /** {@return how many payments were signed, including those no longer in {@link #entries()}} Capped at {@link Integer#MAX_VALUE}. */
    public synchronized int count() {
        return (int) Math.min(Integer.MAX_VALUE, count);
    }

    /** {@return the US dollars settled, as the servers reported} */
    public synchronized BigDecimal totalSettled() {
        return settled;
    }

    /** {@return the US dollars that moved or may have moved: settled, pending, or of unknown outcome} What a session cost. */
    public synchronized BigDecimal totalCommitted() {
        return settled.add(pending).add(unknown);
    }

    /**
     * US dollars in authorizations that are not settled and still valid now: signed and handed to a
     * server, which could settle them until their {@code validBefore}, whatever it answered.
     *
     * @return the total in US dollars, on the ledger's clock
     */
    public synchronized BigDecimal totalExposed() {
        expire(clock.instant());
        return exposedOpen.add(exposedVoid);
    }

    /**
     * What the session cap counts: {@link #totalCommitted()} plus the rejected or unused
     * authorizations that are still valid now.
     *
     * @return the total in US dollars, on the ledger's clock
     */
    public synchronized BigDecimal totalAtRisk() {
        expire(clock.instant());
        return settled.add(pending).add(unknown).add(exposedVoid);
    }

    /** {@return the entries of {@link #totalExposed()}, soonest to expire first, each with its latest outcome} */
    public synchronized List<LedgerEntry> exposure() {
        expire(clock.instant());
        return List.copyOf(exposed.values());
    }

    /**
     * Records a signed payment as {@code PENDING} if the session cap allows it (a cleanup call is
     * always allowed, see {@link PaymentTag#cleanup()}). Its {@code time} is taken as now.
     *
     * @throws PaymentRefusedException when it would take {@link #totalAtRisk()} above {@code policy}'s session cap
     */
    synchronized LedgerEntry reserve(LedgerEntry pending, PaymentPolicy policy, PaymentQuote quote, boolean cleanup) {
        expire(pending.time());
        BigDecimal committed = totalCommitted();
        if (!cleanup && committed.add(exposedVoid).add(pending.usd()).compareTo(policy.maxSessionCost()) > 0) {
            throw policy.sessionCapExceeded(quote, committed, exposedVoid, lastVoidExpiry());
        }
        LedgerEntry entry = pending.withId(count + 1);
        append(entry); // first, so that a payment the file cannot record is not made
        count++;
        recent[slot(entry.id())] = entry;
        add(entry);
        return entry;
    }

    /** Records what became of a reserved payment. */
    synchronized LedgerEntry update(LedgerEntry entry, LedgerEntry.Outcome outcome, @Nullable String transaction,
            @Nullable String reason) {
        LedgerEntry current = exposed.get(new Expiry(entry));
        if (current == null && entry.id() > count - recent.length) {
            current = recent[slot(entry.id())];
        }
        if (current == null) {
            current = entry;
        }
        LedgerEntry updated = current.withOutcome(outcome, transaction, reason);
        append(updated);
        remove(current);
        add(updated);
        if (entry.id() > count - recent.length) {
            recent[slot(entry.id())] = updated;
        }
        return updated;
    }

    private int slot(long id) {
        return (int) ((id - 1) % recent.length);
    }

    private void add(LedgerEntry entry) {
        switch (entry.outcome()) {
            case SETTLED -> settled = settled.add(entry.usd());
            case PENDING -> pending = pending.add(entry.usd());
            case UNKNOWN -> unknown = unknown.add(entry.usd());
            default -> { }
        }
        if (entry.outcome() != LedgerEntry.Outcome.SETTLED && entry.validBefore().isAfter(expiredThrough)) {
            exposed.put(new Expiry(entry), entry);
            addExposure(entry, 1);
        }
    }

    private void remove(LedgerEntry entry) {
        switch (entry.outcome()) {
            case SETTLED -> settled = settled.subtract(entry.usd());
            case PENDING -> pending = pending.subtract(entry.usd());
            case UNKNOWN -> unknown = unknown.subtract(entry.usd());
            default -> { }
        }
        LedgerEntry wasExposed = exposed.remove(new Expiry(entry));
        if (wasExposed != null) {
            addExposure(wasExposed, -1);
        }
    }

    private void addExposure(LedgerEntry entry, int sign) {
        BigDecimal usd = sign > 0 ? entry.usd() : entry.usd().negate();
        if (entry.outcome().commits()) {
            exposedOpen = exposedOpen.add(usd);
        } else {
            exposedVoid = exposedVoid.add(usd);
        }
    }

    /** Drops what expired by {@code now}: EIP-3009 refuses an authorization once {@code now >= validBefore}. */
    private void expire(Instant now) {
        if (!now.isAfter(expiredThrough)) {
            return;
        }
        expiredThrough = now;
        Map<Expiry, LedgerEntry> expired = exposed.headMap(new Expiry(now, Long.MAX_VALUE), true);
        for (LedgerEntry entry : expired.values()) {
            addExposure(entry, -1);
        }
        expired.clear();
    }

    private @Nullable Instant lastVoidExpiry() {
        for (LedgerEntry entry : exposed.descendingMap().values()) {
            if (!entry.outcome().commits()) {
                return entry.validBefore();
            }
        }
        return null;
    }

    private void append(LedgerEntry entry) {
        if (file == null) {
            return;
        }
        ObjectNode line = Json.MAPPER.createObjectNode();
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
        line.put("validBefore", entry.validBefore().toString());
        line.put("outcome", entry.outcome().name());
        line.put("transaction", entry.transaction());
        line.put("reason", entry.reason());
        try {
            if (out == null) {
                out = open(file);
            }
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the spend ledger " + file
                    + "; the payment is not made. Check that the file is writable.", e);
        }
    }

    /** Opens {@code file} for appending, created owner-only where the file system has POSIX permissions. */
    private static OutputStream open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException e) {
                tighten(file);
            }
        }
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    private static void tighten(Path file) {
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot make the spend ledger {0} readable by its owner only ({1});"
                    + " it holds payers, payees and nonces. Run chmod 600 on it.", file, e.toString());
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
        return "SpendLedger{payments=" + count + ", settled=" + Usdc.format(settled)
                + ", committed=" + Usdc.format(totalCommitted()) + (file == null ? "" : ", file=" + file) + "}";
    }

    /** Orders exposed entries by expiry, then id. */
    private record Expiry(Instant validBefore, long id) implements Comparable<Expiry> {
        Expiry(LedgerEntry entry) {
            this(entry.validBefore(), entry.id());
        }

        @Override
        public int compareTo(Expiry other) {
            int byTime = validBefore.compareTo(other.validBefore);
            return byTime != 0 ? byTime : Long.compare(id, other.id);
        }
    }

    /** Options of a {@link SpendLedger}. */
    public static final class Builder {
        private @Nullable Path file;
        private @Nullable Clock clock;
        private @Nullable Integer memoryLimit;

        private Builder() {}

        /**
         * A JSON Lines file every change is appended to, created (0600) with its directories if needed. Default none.
         *
         * @param jsonl the file; an existing one is appended to
         * @return this builder
         */
        public Builder file(Path jsonl) {
            this.file = ensureNotNull(jsonl, "jsonl");
            return this;
        }

        /**
         * The clock that says which authorizations have expired when totals are read. Use the
         * interceptor's. Default the system clock.
         *
         * @param clock the clock; the same one the {@link X402Interceptor} signs with
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = ensureNotNull(clock, "clock");
            return this;
        }

        /**
         * How many of the latest entries {@link #entries()} keeps. Default {@value SpendLedger#DEFAULT_MEMORY_LIMIT}.
         *
         * @param entries at least 1; the array is allocated at this size up front
         * @return this builder
         */
        public Builder memoryLimit(int entries) {
            this.memoryLimit = ensurePositive(entries, "memoryLimit");
            return this;
        }

        /**
         * {@return the ledger; the file itself is opened at the first payment}
         *
         * @throws UncheckedIOException when the file's directory cannot be created
         */
        public SpendLedger build() {
            if (file != null) {
                try {
                    Path parent = file.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot create the ledger's directory for " + file, e);
                }
            }
            return new SpendLedger(this);
        }
    }
}
