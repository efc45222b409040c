package io.sandbox402.x402;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.x402.internal.Authorization;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: a server that takes authorizations and never delivers collects at most the session cap.
 * Per-call cap $0.01, session cap $0.02, ten calls, a quote of $0.01: whatever the server answers, the
 * authorizations it was handed are worth at most $0.02 while they are valid.
 */
class X402HostileServerTest {
    static final Instant NOW = Instant.parse("2026-11-23T05:00:00Z");
    static final String PRICE = "10000"; // $0.01
    static final BigDecimal SESSION_CAP = new BigDecimal("0.02");
    static final String TX = "0x" + "7".repeat(64);

    final MockWebServer server = new MockWebServer();
    final MutableClock clock = new MutableClock(NOW);
    final SpendLedger ledger = SpendLedger.builder().clock(clock).build();
    /** Every authorization the server was handed, in order. */
    final List<Authorization> handedOver = new CopyOnWriteArrayList<>();
    String url;
    String host;

    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void start() throws IOException {
        server.start();
        url = server.url("/api/v1/modal/sandbox/exec").toString();
        host = server.url("/").host();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Quotes $0.01 to unpaid requests; {@code paid} answers the n-th paid request (from 1). */
    void serve(String quoteJson, Function<Integer, MockResponse> paid) {
        AtomicInteger paidCount = new AtomicInteger();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String header = request.getHeaders().get("PAYMENT-SIGNATURE");
                if (header == null) {
                    return Quotes.paymentRequiredHeader(quoteJson);
                }
                handedOver.add(Quotes.decodePayment(header).authorization());
                return paid.apply(paidCount.incrementAndGet());
            }
        });
    }

    void serve(Function<Integer, MockResponse> paid) {
        serve(Quotes.v2Json(url, PRICE), paid);
    }

    OkHttpClient client(PaymentPolicy.Builder policy) {
        X402Interceptor payments = X402Interceptor.builder()
                .wallet(Wallet.fromHex(io.sandbox402.testing.DevKeys.ACCOUNT_0_KEY))
                .ledger(ledger)
                .clock(clock)
                .policy(policy.maxCostPerCall(new BigDecimal("0.01")).build())
                .build();
        return new OkHttpClient.Builder().addInterceptor(payments).retryOnConnectionFailure(false).build();
    }

    OkHttpClient client() {
        return client(PaymentPolicy.builder().maxSessionCost(SESSION_CAP));
    }

    /** Makes {@code calls} calls; each result is the status code or the payment exception. */
    List<Object> call(OkHttpClient client, int calls) {
        List<Object> results = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
                results.add(response.code());
            } catch (IOException e) {
                assertThat(e).isInstanceOf(PaymentIOException.class);
                results.add(((PaymentIOException) e).getCause());
            }
        }
        return results;
    }

    /** What the server holds that it could still settle now: the authorizations not settled and valid. */
    BigDecimal collectable(List<Authorization> settled) {
        BigInteger total = BigInteger.ZERO;
        for (Authorization authorization : handedOver) {
            if (!settled.contains(authorization) && clock.instant().getEpochSecond() < authorization.validBefore()) {
                total = total.add(authorization.value());
            }
        }
        return Usdc.toUsd(total);
    }

    BigDecimal valueOf(List<Authorization> authorizations) {
        return Usdc.toUsd(authorizations.stream().map(Authorization::value).reduce(BigInteger.ZERO, BigInteger::add));
    }

    String hostStop(String lastAnswer, Instant heldUntil) {
        return "Payment refused for GET " + url + ": " + host + " rejected the last 2 payments; not paying it again."
                + " Its last answer: " + lastAnswer + ". The authorizations it was sent stay valid until " + heldUntil
                + "; after that one payment will be tried again. Check the server's status and your balance before"
                + " calling it again.";
    }

    @Test
    void should_hand_a_server_that_answers_402_forever_two_authorizations_then_stop() {
        // given a server that answers every payment with 402
        serve(n -> Quotes.v2(url, PRICE));

        // when
        List<Object> results = call(client(), 10);

        // then two payments were rejected, and the host was not paid again
        assertThat(handedOver).hasSize(2);
        assertThat(valueOf(handedOver)).isLessThanOrEqualTo(SESSION_CAP);
        assertThat(handedOver).extracting(Authorization::validBefore).containsOnly(NOW.getEpochSecond() + 300);
        assertThat(results.subList(0, 2)).allSatisfy(result -> assertThat(result)
                .isInstanceOf(PaymentRejectedException.class)
                .extracting(e -> ((PaymentRejectedException) e).reason()).isEqualTo("Payment Required"));
        assertThat(results.subList(2, 10)).allSatisfy(result -> assertThat(result)
                .isInstanceOf(PaymentRefusedException.class)
                .extracting(e -> ((Exception) e).getMessage())
                .isEqualTo(hostStop("a 402 after paying (Payment Required)", NOW.plusSeconds(300))));
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome)
                .containsExactly(LedgerEntry.Outcome.REJECTED, LedgerEntry.Outcome.REJECTED);
        assertThat(ledger.entries()).extracting(LedgerEntry::validBefore).containsOnly(NOW.plusSeconds(300));
        assertThat(ledger.totalSettled()).isEqualByComparingTo("0");
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0.02");
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0.02");
        assertThat(ledger.totalExposed()).isEqualByComparingTo(collectable(List.of()));

        // and once the authorizations expired, nothing is exposed any more
        clock.advance(Duration.ofSeconds(300));
        assertThat(collectable(List.of())).isEqualByComparingTo("0");
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0");
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0");
        assertThat(ledger.exposure()).isEmpty();
    }

    @Test
    void should_stop_paying_a_server_that_answers_500_after_every_payment() {
        // given a server that fails every paid call without settling
        serve(n -> new MockResponse.Builder().code(500).body("{\"error\":\"Internal error\"}").build());

        // when
        List<Object> results = call(client(), 10);

        // then two calls reached the server (the second pre-paid); the unused authorizations it holds fill the
        // session cap, which refuses the rest (a 5xx is a failed call, not a rejection that stops the host)
        assertThat(handedOver).hasSize(2);
        assertThat(valueOf(handedOver)).isLessThanOrEqualTo(SESSION_CAP);
        assertThat(results.subList(0, 2)).containsExactly(500, 500);
        assertThat(results.subList(2, 10)).allSatisfy(result -> assertThat(result)
                .isInstanceOf(PaymentRefusedException.class)
                .extracting(e -> ((Exception) e).getMessage())
                .isEqualTo("Payment refused for GET " + url + ": the server asks $0.01, and $0.02 is already spent or"
                        + " signed away this session ($0.00 spent or possibly spent, $0.02 in rejected or unused"
                        + " authorizations that the servers hold and could still settle until 2026-11-23T05:05:00Z);"
                        + " together that is above the session cap of $0.02. Raise it with --max-session-cost or"
                        + " BLOCKRUN_MAX_SESSION_COST, or wait until those authorizations expire."));
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome, LedgerEntry::reason).containsOnly(
                org.assertj.core.groups.Tuple.tuple(LedgerEntry.Outcome.UNUSED, "the server answered 500 without settling"));
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0.02").isEqualByComparingTo(collectable(List.of()));
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0.02");
        assertThat(ledger.totalCommitted()).isEqualByComparingTo("0");
    }

    @Test
    void should_stop_paying_a_server_whose_settlements_keep_failing() {
        // given a server that serves, but reports each settlement as failed
        serve(n -> new MockResponse.Builder().code(200)
                .setHeader("PAYMENT-RESPONSE", Quotes.base64("{\"success\":false,\"errorReason\":\"insufficient_funds\"}"))
                .body("{}").build());

        // when
        List<Object> results = call(client(PaymentPolicy.builder().maxSessionCost(new BigDecimal("1.00"))), 4);

        // then
        assertThat(handedOver).hasSize(2);
        assertThat(results.subList(0, 2)).containsExactly(200, 200);
        assertThat(results.subList(2, 4)).allSatisfy(result -> assertThat(result)
                .isInstanceOf(PaymentRefusedException.class)
                .extracting(e -> ((Exception) e).getMessage())
                .isEqualTo(hostStop("a failed settlement (insufficient_funds)", NOW.plusSeconds(300))));
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome)
                .containsExactly(LedgerEntry.Outcome.REJECTED, LedgerEntry.Outcome.REJECTED);
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0.02");
    }

    @Test
    void should_count_a_pre_payment_answered_402_against_the_session_cap() {
        // given a server that settles the first payment, then answers everything with 402
        serve(n -> n == 1 ? Quotes.ok("PAYMENT-RESPONSE", TX) : Quotes.v2(url, PRICE));

        // when
        List<Object> results = call(client(), 10);

        // then the second call's pre-payment is exposed, and with the settled $0.01 it fills the cap
        assertThat(handedOver).hasSize(2);
        assertThat(valueOf(handedOver)).isLessThanOrEqualTo(SESSION_CAP);
        assertThat(ledger.totalSettled().add(collectable(List.of(handedOver.get(0))))).isLessThanOrEqualTo(SESSION_CAP);
        assertThat(results.get(0)).isEqualTo(200);
        assertThat(results.subList(1, 10)).allSatisfy(result -> assertThat(result)
                .isInstanceOf(PaymentRefusedException.class)
                .extracting(e -> ((Exception) e).getMessage())
                .isEqualTo("Payment refused for GET " + url + ": the server asks $0.01, and $0.02 is already spent or"
                        + " signed away this session ($0.01 spent or possibly spent, $0.01 in rejected or unused"
                        + " authorizations that the servers hold and could still settle until 2026-11-23T05:05:00Z);"
                        + " together that is above the session cap of $0.02. Raise it with --max-session-cost or"
                        + " BLOCKRUN_MAX_SESSION_COST, or wait until those authorizations expire."));
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome)
                .containsExactly(LedgerEntry.Outcome.SETTLED, LedgerEntry.Outcome.UNUSED);
        assertThat(ledger.entries().get(1).reason()).isEqualTo("pre-payment answered with 402: Payment Required");
        assertThat(ledger.totalSettled()).isEqualByComparingTo("0.01");
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0.01");
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0.02");
    }

    @Test
    void should_stop_paying_a_host_that_answers_pre_payments_with_402_forever() {
        // given a roomy session cap, so that only the host stop can end it
        serve(n -> n == 1 ? Quotes.ok("PAYMENT-RESPONSE", TX) : Quotes.v2(url, PRICE));

        // when
        List<Object> results = call(client(PaymentPolicy.builder().maxSessionCost(new BigDecimal("1.00"))), 10);

        // then the pre-payment and the payment after it were rejected; nothing more was signed
        assertThat(handedOver).hasSize(3);
        assertThat(results.get(0)).isEqualTo(200);
        assertThat(results.get(1)).isInstanceOf(PaymentRejectedException.class);
        assertThat(((Exception) results.get(1)).getMessage()).contains("(a pre-payment was refused too)");
        assertThat(results.subList(2, 10)).allSatisfy(result -> assertThat(result)
                .isInstanceOf(PaymentRefusedException.class)
                .extracting(e -> ((Exception) e).getMessage())
                .isEqualTo(hostStop("a 402 after paying (Payment Required)", NOW.plusSeconds(300))));
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome).containsExactly(
                LedgerEntry.Outcome.SETTLED, LedgerEntry.Outcome.UNUSED, LedgerEntry.Outcome.REJECTED);
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0.02").isEqualByComparingTo(collectable(handedOver.subList(0, 1)));
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0.03");
    }

    @Test
    void should_stop_pre_paying_a_host_that_answers_every_pre_payment_with_402_at_the_same_price() {
        // given a server that settles a payment only right after its own 402, and answers any other with 402
        AtomicInteger lastStatus = new AtomicInteger();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String header = request.getHeaders().get("PAYMENT-SIGNATURE");
                if (header != null) {
                    handedOver.add(Quotes.decodePayment(header).authorization());
                }
                boolean settle = header != null && lastStatus.get() == 402;
                lastStatus.set(settle ? 200 : 402);
                return settle ? Quotes.ok("PAYMENT-RESPONSE", TX) : Quotes.v2(url, PRICE);
            }
        });

        // when
        List<Object> results = call(client(PaymentPolicy.builder().maxSessionCost(new BigDecimal("1.00"))), 5);

        // then one pre-payment was wasted, not one per call
        assertThat(results).containsExactly(200, 200, 200, 200, 200);
        assertThat(handedOver).hasSize(6);
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome).containsExactly(LedgerEntry.Outcome.SETTLED,
                LedgerEntry.Outcome.UNUSED, LedgerEntry.Outcome.SETTLED, LedgerEntry.Outcome.SETTLED,
                LedgerEntry.Outcome.SETTLED, LedgerEntry.Outcome.SETTLED);
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0.01");
        assertThat(ledger.totalSettled()).isEqualByComparingTo("0.05");
    }

    @Test
    void should_sign_at_most_five_minutes_of_validity_when_a_server_asks_a_day() {
        // given a server that asks for authorizations valid a day, and answers them with 402
        serve(Quotes.v2Json(url, PRICE).replace("\"maxTimeoutSeconds\":300", "\"maxTimeoutSeconds\":86400"),
                n -> Quotes.v2(url, PRICE));

        // when
        List<Object> results = call(client(), 10);

        // then
        assertThat(handedOver).hasSize(2);
        assertThat(valueOf(handedOver)).isLessThanOrEqualTo(SESSION_CAP);
        assertThat(handedOver).extracting(Authorization::validBefore).containsOnly(NOW.getEpochSecond() + 300);
        assertThat(ledger.entries()).extracting(LedgerEntry::validBefore).containsOnly(NOW.plusSeconds(300));
        assertThat(results.subList(2, 10)).allSatisfy(result -> assertThat(result).isInstanceOf(PaymentRefusedException.class));
        clock.advance(Duration.ofSeconds(299));
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0.02");
        clock.advance(Duration.ofSeconds(1));
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0");
    }

    @Test
    void should_sign_the_policy_validity_or_the_servers_whichever_is_shorter() {
        // given a policy that allows an hour
        serve(Quotes.v2Json(url, PRICE).replace("\"maxTimeoutSeconds\":300", "\"maxTimeoutSeconds\":86400"),
                n -> Quotes.ok("PAYMENT-RESPONSE", TX));
        OkHttpClient client = client(PaymentPolicy.builder().maxValidity(Duration.ofHours(1)));

        // when
        call(client, 1);

        // then
        assertThat(handedOver).extracting(Authorization::validBefore).containsExactly(NOW.getEpochSecond() + 3600);
        assertThat(ledger.entries()).extracting(LedgerEntry::validBefore).containsExactly(NOW.plusSeconds(3600));
    }

    @Test
    void should_count_unused_authorizations_until_they_expire_then_pay_again() {
        // given a server that answers paid calls with 400 (not a host rejection) without settling
        serve(n -> new MockResponse.Builder().code(400).body("{\"error\":\"Invalid request body\"}").build());
        OkHttpClient client = client(PaymentPolicy.builder().maxSessionCost(SESSION_CAP).maxValidity(Duration.ofSeconds(60)));

        // when
        List<Object> results = call(client, 3);

        // then the third would pass the cap while the first two are still valid
        assertThat(handedOver).hasSize(2);
        assertThat(results.subList(0, 2)).containsExactly(400, 400);
        assertThat(results.get(2)).isInstanceOf(PaymentRefusedException.class);
        assertThat(((Exception) results.get(2)).getMessage()).contains("$0.02 in rejected or unused authorizations"
                + " that the servers hold and could still settle until 2026-11-23T05:01:00Z");

        // when they expired
        clock.advance(Duration.ofSeconds(60));
        List<Object> later = call(client, 1);

        // then
        assertThat(later).containsExactly(400);
        assertThat(handedOver).hasSize(3);
        assertThat(ledger.exposure()).extracting(LedgerEntry::id).containsExactly(3L);
    }

    @Test
    void should_try_a_stopped_host_once_more_when_what_it_holds_expired_and_resume_when_it_settles() {
        // given a host stopped after two 402s
        AtomicInteger mode = new AtomicInteger(402);
        serve(n -> mode.get() == 402 ? Quotes.v2(url, PRICE) : Quotes.ok("PAYMENT-RESPONSE", TX));
        OkHttpClient client = client(PaymentPolicy.builder().maxSessionCost(new BigDecimal("1.00")));
        call(client, 3);
        assertThat(handedOver).hasSize(2);

        // when its authorizations expired, one more payment is tried and rejected
        clock.advance(Duration.ofSeconds(300));
        List<Object> retry = call(client, 2);

        // then it is stopped again at once
        assertThat(handedOver).hasSize(3);
        assertThat(retry.get(0)).isInstanceOf(PaymentRejectedException.class);
        assertThat(retry.get(1)).isInstanceOf(PaymentRefusedException.class);
        assertThat(((Exception) retry.get(1)).getMessage()).contains("rejected the last 3 payments; not paying it again.");

        // when it delivers after the next expiry
        clock.advance(Duration.ofSeconds(300));
        mode.set(200);
        List<Object> resumed = call(client, 3);

        // then each call is paid again
        assertThat(resumed).containsExactly(200, 200, 200);
        assertThat(ledger.totalSettled()).isEqualByComparingTo("0.03");
    }
}
