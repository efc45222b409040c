package io.sandbox402.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.x402.internal.Json;
import io.sandbox402.x402.internal.X402Codec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpendLedgerTest {
    static final Instant NOW = Instant.parse("2026-11-23T05:00:00Z");
    static final PaymentPolicy UNCAPPED = PaymentPolicy.builder().maxSessionCost(new BigDecimal("1000000")).build();

    final X402HostileServerTest.MutableClock clock = new X402HostileServerTest.MutableClock(NOW);

    static LedgerEntry pending(long usdMicros, Instant time, Instant validBefore) {
        BigInteger amount = BigInteger.valueOf(usdMicros);
        return new LedgerEntry(0, time, "POST", "https://example.test/paid", Network.BASE, Network.BASE.usdcAddress(),
                DevKeys.ACCOUNT_1_ADDRESS, DevKeys.ACCOUNT_0_ADDRESS, amount, Usdc.toUsd(amount), "0x" + "ab".repeat(32),
                validBefore, LedgerEntry.Outcome.PENDING, null, null);
    }

    static PaymentQuote quote(long usdMicros) {
        BigInteger amount = BigInteger.valueOf(usdMicros);
        return new PaymentQuote("POST", "https://example.test/paid", Network.BASE, DevKeys.ACCOUNT_1_ADDRESS, amount,
                Usdc.toUsd(amount));
    }

    /** Payment {@code i}'s outcome: a mix of every kind, PENDING left as it is. */
    static LedgerEntry.Outcome outcome(int i) {
        return LedgerEntry.Outcome.values()[i % LedgerEntry.Outcome.values().length];
    }

    @Test
    void should_keep_exact_totals_a_bounded_memory_and_every_line_when_16_threads_pay_1000_times(@TempDir Path dir)
            throws Exception {
        // given a ledger that keeps 1,000 entries in memory; half the payments valid 100 s, half 300 s
        Path file = dir.resolve("payments.jsonl");
        SpendLedger ledger = SpendLedger.builder().file(file).clock(clock).memoryLimit(1_000).build();
        int threads = 16;
        int payments = 1_000;

        // when
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < payments; i++) {
                    Instant validBefore = NOW.plusSeconds(i % 2 == 0 ? 100 : 300);
                    LedgerEntry entry = ledger.reserve(pending(1000 + i, NOW, validBefore), UNCAPPED, quote(1000 + i), false);
                    if (outcome(i) != LedgerEntry.Outcome.PENDING) {
                        ledger.update(entry, outcome(i), null, "test");
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        ledger.close();

        // then the totals count every payment exactly
        Map<LedgerEntry.Outcome, BigDecimal> byOutcome = new HashMap<>();
        Map<LedgerEntry.Outcome, BigDecimal> byOutcomeLong = new HashMap<>();
        for (int i = 0; i < payments; i++) {
            BigDecimal usd = Usdc.toUsd(BigInteger.valueOf(1000 + i)).multiply(BigDecimal.valueOf(threads));
            byOutcome.merge(outcome(i), usd, BigDecimal::add);
            if (i % 2 == 1) {
                byOutcomeLong.merge(outcome(i), usd, BigDecimal::add);
            }
        }
        BigDecimal settled = byOutcome.get(LedgerEntry.Outcome.SETTLED);
        BigDecimal committed = settled.add(byOutcome.get(LedgerEntry.Outcome.PENDING)).add(byOutcome.get(LedgerEntry.Outcome.UNKNOWN));
        BigDecimal voided = byOutcome.get(LedgerEntry.Outcome.REJECTED).add(byOutcome.get(LedgerEntry.Outcome.UNUSED));
        assertThat(ledger.count()).isEqualTo(threads * payments);
        assertThat(ledger.totalSettled()).isEqualByComparingTo(settled);
        assertThat(ledger.totalCommitted()).isEqualByComparingTo(committed);
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo(committed.add(voided));
        assertThat(ledger.totalExposed()).isEqualByComparingTo(committed.subtract(settled).add(voided));

        // and memory holds the last 1,000 entries only
        List<LedgerEntry> entries = ledger.entries();
        assertThat(entries).hasSize(1_000);
        assertThat(entries.get(0).id()).isEqualTo(threads * payments - 999);
        assertThat(entries.get(999).id()).isEqualTo(threads * payments);

        // and the file has every line: one per payment, one more per outcome
        long outcomes = 0;
        for (int i = 0; i < payments; i++) {
            outcomes += outcome(i) == LedgerEntry.Outcome.PENDING ? 0 : threads;
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize((int) (threads * payments + outcomes));
        assertThat(lines.stream().map(SpendLedgerTest::id).distinct().count()).isEqualTo(threads * payments);

        // when the 100-second authorizations expired
        clock.advance(Duration.ofSeconds(100));

        // then only the 300-second ones not settled are exposed; pending and unknown still count as committed
        BigDecimal exposedLong = BigDecimal.ZERO;
        BigDecimal voidedLong = BigDecimal.ZERO;
        for (Map.Entry<LedgerEntry.Outcome, BigDecimal> entry : byOutcomeLong.entrySet()) {
            if (entry.getKey() != LedgerEntry.Outcome.SETTLED) {
                exposedLong = exposedLong.add(entry.getValue());
            }
            if (!entry.getKey().commits()) {
                voidedLong = voidedLong.add(entry.getValue());
            }
        }
        assertThat(ledger.totalExposed()).isEqualByComparingTo(exposedLong);
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo(committed.add(voidedLong));
        assertThat(ledger.totalCommitted()).isEqualByComparingTo(committed);
        assertThat(ledger.exposure()).allSatisfy(entry -> assertThat(entry.validBefore()).isEqualTo(NOW.plusSeconds(300)));
    }

    private static long id(String line) {
        try {
            JsonNode node = Json.MAPPER.readTree(line);
            return node.get("id").asLong();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void should_create_the_file_readable_and_writable_by_its_owner_only(@TempDir Path dir) throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "the file system has no POSIX permissions");
        // given
        Path file = dir.resolve("ledger/payments.jsonl");

        // when
        try (SpendLedger ledger = SpendLedger.appendingTo(file)) {
            ledger.reserve(pending(1000, NOW, NOW.plusSeconds(300)), UNCAPPED, quote(1000), false);
        }

        // then
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        JsonNode line = Json.MAPPER.readTree(Files.readAllLines(file).get(0));
        assertThat(line.get("validBefore").asText()).isEqualTo("2026-11-23T05:05:00Z");
        assertThat(line.get("outcome").asText()).isEqualTo("PENDING");
    }

    @Test
    void should_tighten_an_existing_file_that_others_can_read(@TempDir Path dir) throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "the file system has no POSIX permissions");
        // given
        Path file = dir.resolve("payments.jsonl");
        Files.writeString(file, "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        // when
        try (SpendLedger ledger = SpendLedger.appendingTo(file)) {
            ledger.reserve(pending(1000, NOW, NOW.plusSeconds(300)), UNCAPPED, quote(1000), false);
        }

        // then
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void should_count_a_rejected_authorization_against_the_cap_until_it_expires() {
        // given $0.02 rejected, valid until 05:05
        SpendLedger ledger = SpendLedger.builder().clock(clock).build();
        PaymentPolicy policy = PaymentPolicy.builder().maxSessionCost(new BigDecimal("0.02")).build();
        LedgerEntry first = ledger.reserve(pending(20000, NOW, NOW.plusSeconds(300)), policy, quote(20000), false);
        ledger.update(first, LedgerEntry.Outcome.REJECTED, null, "Payment Required");

        // when / then
        assertThatThrownBy(() -> ledger.reserve(pending(100, NOW.plusSeconds(299), NOW.plusSeconds(599)), policy, quote(100), false))
                .isInstanceOf(PaymentRefusedException.class)
                .hasMessage("Payment refused for POST https://example.test/paid: the server asks $0.0001, and $0.02 is"
                        + " already spent or signed away this session ($0.00 spent or possibly spent, $0.02 in rejected or"
                        + " unused authorizations that the servers hold and could still settle until 2026-11-23T05:05:00Z);"
                        + " together that is above the session cap of $0.02. Raise it with --max-session-cost or"
                        + " BLOCKRUN_MAX_SESSION_COST, or wait until those authorizations expire.");
        LedgerEntry later = ledger.reserve(pending(20000, NOW.plusSeconds(300), NOW.plusSeconds(600)), policy, quote(20000), false);
        assertThat(later.id()).isEqualTo(2);
        assertThat(ledger.count()).isEqualTo(2);
    }

    @Test
    void should_let_a_cleanup_call_past_the_cap_and_still_count_it() {
        SpendLedger ledger = SpendLedger.builder().clock(clock).build();
        PaymentPolicy policy = PaymentPolicy.builder().maxSessionCost(new BigDecimal("0.01")).build();
        ledger.reserve(pending(10000, NOW, NOW.plusSeconds(300)), policy, quote(10000), false);

        ledger.reserve(pending(10000, NOW, NOW.plusSeconds(300)), policy, quote(10000), true);

        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0.02");
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0.02");
    }

    @Test
    void should_update_the_totals_and_the_file_for_an_entry_no_longer_in_memory(@TempDir Path dir) throws Exception {
        // given five payments, two kept in memory
        Path file = dir.resolve("payments.jsonl");
        SpendLedger ledger = SpendLedger.builder().file(file).clock(clock).memoryLimit(2).build();
        List<LedgerEntry> reserved = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            reserved.add(ledger.reserve(pending(1000, NOW, NOW.plusSeconds(300)), UNCAPPED, quote(1000), false));
        }

        // when the first settles and the second is rejected
        LedgerEntry settled = ledger.update(reserved.get(0), LedgerEntry.Outcome.SETTLED, "0x" + "7".repeat(64), null);
        ledger.update(reserved.get(1), LedgerEntry.Outcome.REJECTED, null, "Payment Required");
        ledger.close();

        // then
        assertThat(settled.outcome()).isEqualTo(LedgerEntry.Outcome.SETTLED);
        assertThat(ledger.entries()).extracting(LedgerEntry::id).containsExactly(4L, 5L);
        assertThat(ledger.count()).isEqualTo(5);
        assertThat(ledger.totalSettled()).isEqualByComparingTo("0.001");
        assertThat(ledger.totalCommitted()).isEqualByComparingTo("0.004");
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0.004");
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0.005");
        assertThat(ledger.exposure()).extracting(LedgerEntry::id, LedgerEntry::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, LedgerEntry.Outcome.REJECTED),
                org.assertj.core.groups.Tuple.tuple(3L, LedgerEntry.Outcome.PENDING),
                org.assertj.core.groups.Tuple.tuple(4L, LedgerEntry.Outcome.PENDING),
                org.assertj.core.groups.Tuple.tuple(5L, LedgerEntry.Outcome.PENDING));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(7);
        assertThat(Json.MAPPER.readTree(lines.get(5)).get("outcome").asText()).isEqualTo("SETTLED");
        assertThat(Json.MAPPER.readTree(lines.get(6)).get("outcome").asText()).isEqualTo("REJECTED");
    }

    @Test
    void should_keep_counting_a_pending_payment_after_its_validity_until_its_outcome_is_known() {
        SpendLedger ledger = SpendLedger.builder().clock(clock).build();
        LedgerEntry entry = ledger.reserve(pending(1000, NOW, NOW.plusSeconds(60)), UNCAPPED, quote(1000), false);

        clock.advance(Duration.ofSeconds(60));
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0");
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0.001");

        ledger.update(entry, LedgerEntry.Outcome.UNUSED, null, "the server answered 500 without settling");
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0");
        assertThat(ledger.totalCommitted()).isEqualByComparingTo("0");
    }

    @Test
    void should_reject_a_memory_limit_that_is_not_positive() {
        assertThatThrownBy(() -> SpendLedger.builder().memoryLimit(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("memoryLimit must be positive, was 0");
    }
}
