package io.sandbox402.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.x402.internal.Eip3009Signer;
import io.sandbox402.x402.internal.Eip712Domain;
import io.sandbox402.x402.internal.Json;
import io.sandbox402.x402.internal.PaymentPayload;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class X402InterceptorTest {
    static final Instant NOW = Instant.parse("2026-11-23T05:00:00Z");
    static final Wallet WALLET = Wallet.fromHex(DevKeys.ACCOUNT_0_KEY);
    static final String TX = "0x" + "7".repeat(64);

    final MockWebServer server = new MockWebServer();
    final SpendLedger ledger = new SpendLedger();
    String url;

    @BeforeEach
    void start() throws IOException {
        server.start();
        url = server.url("/api/v1/modal/sandbox/exec").toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    X402Interceptor.Builder interceptor() {
        return X402Interceptor.builder().wallet(WALLET).ledger(ledger).clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    OkHttpClient client(X402Interceptor interceptor) {
        return new OkHttpClient.Builder().addInterceptor(interceptor).retryOnConnectionFailure(false).build();
    }

    Response post(OkHttpClient client, PaymentTag tag) throws IOException {
        Request request = new Request.Builder()
                .url(url)
                .post(RequestBody.create("{\"sandbox_id\":\"sb-1\",\"command\":[\"echo\"]}", MediaType.get("application/json")))
                .tag(PaymentTag.class, tag)
                .build();
        return client.newCall(request).execute();
    }

    @Test
    void should_pay_a_version_2_quote_and_echo_accepted_unchanged() throws Exception {
        // given
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        PaymentTag tag = PaymentTag.create();

        // when
        try (Response response = post(client(interceptor().build()), tag)) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).contains("\"returncode\":0");
        }

        // then
        RecordedRequest unpaid = server.takeRequest();
        assertThat(unpaid.getHeaders().get("PAYMENT-SIGNATURE")).isNull();
        RecordedRequest paid = server.takeRequest();
        assertThat(paid.getBody().utf8()).isEqualTo("{\"sandbox_id\":\"sb-1\",\"command\":[\"echo\"]}");
        String header = paid.getHeaders().get("PAYMENT-SIGNATURE");
        assertThat(header).matches("[A-Za-z0-9+/]+={0,2}");
        assertThat(header.length() % 4).isZero();
        JsonNode payment = Json.MAPPER.readTree(Quotes.decode(header));
        JsonNode quote = Json.MAPPER.readTree(Quotes.v2Json(url, "1000"));
        assertThat(payment.get("x402Version").isInt()).isTrue();
        assertThat(payment.get("x402Version").asInt()).isEqualTo(2);
        assertThat(payment.get("accepted")).isEqualTo(quote.get("accepts").get(0));
        assertThat(payment.get("resource")).isEqualTo(quote.get("resource"));
        JsonNode authorization = payment.get("payload").get("authorization");
        assertThat(authorization.get("from").asText()).isEqualTo(DevKeys.ACCOUNT_0_ADDRESS);
        assertThat(authorization.get("to").asText()).isEqualTo(Quotes.PAY_TO);
        assertThat(authorization.get("value").isTextual()).isTrue();
        assertThat(authorization.get("value").asText()).isEqualTo("1000");
        assertThat(authorization.get("validAfter").asText()).isEqualTo(Long.toString(NOW.getEpochSecond() - 600));
        assertThat(authorization.get("validBefore").asText()).isEqualTo(Long.toString(NOW.getEpochSecond() + 300));
        assertThat(authorization.get("nonce").asText()).matches("0x[0-9a-f]{64}");
        PaymentPayload decoded = Quotes.decodePayment(header);
        assertThat(Eip3009Signer.recover(Eip712Domain.usdc(Network.BASE), decoded.authorization(), decoded.signature()))
                .isEqualTo(DevKeys.ACCOUNT_0_ADDRESS);

        LedgerEntry entry = ledger.entries().get(0);
        assertThat(entry.outcome()).isEqualTo(LedgerEntry.Outcome.SETTLED);
        assertThat(entry.transaction()).isEqualTo(TX);
        assertThat(entry.amount()).isEqualTo(BigInteger.valueOf(1000));
        assertThat(entry.usd()).isEqualByComparingTo("0.001");
        assertThat(entry.payTo()).isEqualTo(Quotes.PAY_TO);
        assertThat(entry.network()).isEqualTo(Network.BASE);
        assertThat(entry.nonce()).isEqualTo(authorization.get("nonce").asText());
        assertThat(entry.url()).isEqualTo(url);
        assertThat(tag.cost()).isEqualByComparingTo("0.001");
        assertThat(ledger.totalSettled()).isEqualByComparingTo("0.001");
    }

    @Test
    void should_pay_a_version_1_quote_with_x_payment() throws Exception {
        // given
        server.enqueue(Quotes.v1(url, "2000"));
        server.enqueue(Quotes.ok("X-PAYMENT-RESPONSE", TX));

        // when
        try (Response response = post(client(interceptor().build()), null)) {
            assertThat(response.code()).isEqualTo(200);
        }

        // then
        server.takeRequest();
        RecordedRequest paid = server.takeRequest();
        assertThat(paid.getHeaders().get("PAYMENT-SIGNATURE")).isNull();
        JsonNode payment = Json.MAPPER.readTree(Quotes.decode(paid.getHeaders().get("X-PAYMENT")));
        assertThat(payment.get("x402Version").asInt()).isEqualTo(1);
        assertThat(payment.get("scheme").asText()).isEqualTo("exact");
        assertThat(payment.get("network").asText()).isEqualTo("base");
        assertThat(payment.get("payload").get("authorization").get("value").asText()).isEqualTo("2000");
        assertThat(payment.get("payload").get("authorization").get("validBefore").asText())
                .isEqualTo(Long.toString(NOW.getEpochSecond() + 60));
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome, LedgerEntry::transaction)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LedgerEntry.Outcome.SETTLED, TX));
    }

    @Test
    void should_pay_with_the_first_request_when_the_quote_is_known() throws Exception {
        // given
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        OkHttpClient client = client(interceptor().build());
        post(client, null).close();

        // when
        post(client, null).close();

        // then
        assertThat(server.getRequestCount()).isEqualTo(3);
        server.takeRequest();
        server.takeRequest();
        assertThat(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE")).isNotNull();
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome)
                .containsExactly(LedgerEntry.Outcome.SETTLED, LedgerEntry.Outcome.SETTLED);
    }

    @Test
    void should_fall_back_once_when_a_pre_payment_is_answered_with_402() throws Exception {
        // given a known quote of $0.001, then the price moves to $0.002
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        OkHttpClient client = client(interceptor().build());
        post(client, null).close();
        server.enqueue(Quotes.v2(url, "2000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));

        // when
        try (Response response = post(client, null)) {
            assertThat(response.code()).isEqualTo(200);
        }

        // then
        assertThat(server.getRequestCount()).isEqualTo(4);
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome, LedgerEntry::amount).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LedgerEntry.Outcome.SETTLED, BigInteger.valueOf(1000)),
                org.assertj.core.groups.Tuple.tuple(LedgerEntry.Outcome.UNUSED, BigInteger.valueOf(1000)),
                org.assertj.core.groups.Tuple.tuple(LedgerEntry.Outcome.SETTLED, BigInteger.valueOf(2000)));
        assertThat(ledger.entries().get(1).reason()).startsWith("pre-payment answered with 402: Payment Required");
        assertThat(ledger.totalCommitted()).isEqualByComparingTo("0.003");
    }

    @Test
    void should_pay_again_only_after_a_402_when_the_remembered_quote_expired() throws Exception {
        // given a quote remembered for 60 s on a clock the test moves
        X402HostileServerTest.MutableClock clock = new X402HostileServerTest.MutableClock(NOW);
        SpendLedger clocked = SpendLedger.builder().clock(clock).build();
        OkHttpClient client = client(X402Interceptor.builder().wallet(WALLET).ledger(clocked).clock(clock)
                .prepaymentTtl(Duration.ofSeconds(60)).build());
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        post(client, null).close();
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        clock.advance(Duration.ofSeconds(60));
        post(client, null).close(); // at the TTL exactly: still pre-paid
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));

        // when the quote is one second past its TTL
        clock.advance(Duration.ofSeconds(1));
        try (Response response = post(client, null)) {
            assertThat(response.code()).isEqualTo(200);
        }

        // then the first two calls pay as usual, the third sends its first request without payment
        assertThat(server.getRequestCount()).isEqualTo(5);
        List<String> payments = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            payments.add(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE") == null ? "unpaid" : "paid");
        }
        assertThat(payments).containsExactly("unpaid", "paid", "paid", "unpaid", "paid");
        assertThat(clocked.entries()).extracting(LedgerEntry::outcome).containsOnly(LedgerEntry.Outcome.SETTLED).hasSize(3);
    }

    @Test
    void should_fail_clearly_and_sign_nothing_when_a_one_shot_body_gets_402() throws Exception {
        // given a request whose body can be written only once, and a quote for its URL already known
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        OkHttpClient client = client(interceptor().build());
        post(client, null).close();
        server.enqueue(Quotes.v2(url, "1000"));
        Request oneShot = new Request.Builder().url(url).post(new OneShotBody("{\"sandbox_id\":\"sb-1\"}")).build();

        // when
        assertThatThrownBy(() -> client.newCall(oneShot).execute())

                // then
                .isInstanceOf(PaymentIOException.class)
                .cause()
                .isInstanceOf(UnsupportedPaymentException.class)
                .hasMessage("Cannot pay for POST " + url + ": its body is one-shot, so the request cannot be sent again"
                        + " with a payment. Use a repeatable body.");
        assertThat(server.getRequestCount()).isEqualTo(3);
        server.takeRequest();
        server.takeRequest();
        RecordedRequest sent = server.takeRequest();
        assertThat(sent.getHeaders().get("PAYMENT-SIGNATURE")).as("a one-shot body is never pre-paid").isNull();
        assertThat(sent.getBody().utf8()).isEqualTo("{\"sandbox_id\":\"sb-1\"}");
        assertThat(ledger.count()).as("only the first, repeatable call signed").isEqualTo(1);
    }

    /** A body that can be written once, as a streamed upload. */
    static final class OneShotBody extends RequestBody {
        private final String content;

        OneShotBody(String content) {
            this.content = content;
        }

        @Override
        public MediaType contentType() {
            return MediaType.get("application/json");
        }

        @Override
        public void writeTo(okio.BufferedSink sink) throws IOException {
            sink.writeUtf8(content);
        }

        @Override
        public boolean isOneShot() {
            return true;
        }
    }

    @Test
    void should_not_pre_pay_when_prepayment_is_off() throws Exception {
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        OkHttpClient client = client(interceptor().prepayment(false).build());

        post(client, null).close();
        post(client, null).close();

        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void should_refuse_a_quote_above_the_per_call_cap_without_signing() throws Exception {
        // given
        server.enqueue(Quotes.v2(url, "400000"));

        // when / then
        OkHttpClient client = client(interceptor().build());
        assertThatThrownBy(() -> post(client, null))
                .isInstanceOf(PaymentIOException.class)
                .cause()
                .isInstanceOf(PaymentRefusedException.class)
                .hasMessage("Payment refused for POST " + url + ": the server asks $0.40 (400000 USDC units), above the"
                        + " per-call cap of $0.05. Raise it with --max-cost-per-call or BLOCKRUN_MAX_COST_PER_CALL.");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void should_refuse_when_the_session_cap_would_be_passed() throws Exception {
        // given $0.0025 of $0.003 already spent
        server.enqueue(Quotes.v2(url, "2500"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        OkHttpClient client = client(interceptor()
                .policy(PaymentPolicy.builder().maxSessionCost(new BigDecimal("0.003")).build())
                .prepayment(false)
                .build());
        post(client, null).close();
        server.enqueue(Quotes.v2(url, "1000"));

        // when / then
        assertThatThrownBy(() -> post(client, null))
                .cause()
                .isInstanceOf(PaymentRefusedException.class)
                .hasMessage("Payment refused for POST " + url + ": the server asks $0.001, and $0.0025 is already spent"
                        + " this session; together that is above the session cap of $0.003. Raise it with"
                        + " --max-session-cost or BLOCKRUN_MAX_SESSION_COST.");
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(ledger.count()).isEqualTo(1);
    }

    @Test
    void should_refuse_a_payee_that_is_not_pinned() throws Exception {
        server.enqueue(Quotes.v2(url, "1000"));
        OkHttpClient client = client(interceptor()
                .policy(PaymentPolicy.builder().allowPayees(DevKeys.ACCOUNT_2_ADDRESS).build())
                .build());

        assertThatThrownBy(() -> post(client, null))
                .cause()
                .isInstanceOf(PaymentRefusedException.class)
                .hasMessageContaining("the payee " + Quotes.PAY_TO + " is not one of the allowed payees");
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void should_refuse_a_network_the_policy_does_not_allow() throws Exception {
        server.enqueue(Quotes.paymentRequiredHeader(Quotes.v2Json(url, "1000")
                .replace("eip155:8453", "eip155:84532").replace(Quotes.BASE_USDC, Network.BASE_SEPOLIA.usdcAddress())));
        OkHttpClient client = client(interceptor().build());

        assertThatThrownBy(() -> post(client, null))
                .cause()
                .isInstanceOf(PaymentRefusedException.class)
                .hasMessage("Payment refused for POST " + url + ": the server accepts payment on eip155:84532, which the"
                        + " policy does not allow (allowed: [eip155:8453]). Allow it with PaymentPolicy.builder().allowNetworks(..).");
    }

    @Test
    void should_pay_on_base_sepolia_when_allowed() throws Exception {
        server.enqueue(Quotes.paymentRequiredHeader(Quotes.v2Json(url, "1000")
                .replace("eip155:8453", "eip155:84532").replace(Quotes.BASE_USDC, Network.BASE_SEPOLIA.usdcAddress())
                .replace("USD Coin", "USDC")));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));
        OkHttpClient client = client(interceptor()
                .policy(PaymentPolicy.builder().allowNetworks(Network.BASE_SEPOLIA).build())
                .build());

        post(client, null).close();

        server.takeRequest();
        PaymentPayload payment = Quotes.decodePayment(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE"));
        assertThat(Eip3009Signer.recover(Eip712Domain.usdc(Network.BASE_SEPOLIA), payment.authorization(), payment.signature()))
                .isEqualTo(DevKeys.ACCOUNT_0_ADDRESS);
        assertThat(ledger.entries().get(0).network()).isEqualTo(Network.BASE_SEPOLIA);
    }

    @Test
    void should_refuse_when_the_confirmation_hook_declines() throws Exception {
        server.enqueue(Quotes.v2(url, "1000"));
        List<PaymentQuote> seen = new java.util.ArrayList<>();
        OkHttpClient client = client(interceptor()
                .policy(PaymentPolicy.builder().confirm(quote -> seen.add(quote) && false).build())
                .build());

        assertThatThrownBy(() -> post(client, null))
                .cause()
                .isInstanceOf(PaymentRefusedException.class)
                .hasMessage("Payment refused for POST " + url + ": the confirmation hook declined $0.001 to " + Quotes.PAY_TO + ".");
        assertThat(seen).singleElement().satisfies(quote -> {
            assertThat(quote.amount()).isEqualTo(BigInteger.valueOf(1000));
            assertThat(quote.network()).isEqualTo(Network.BASE);
        });
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void should_stop_with_the_servers_reason_when_a_paid_request_gets_402() throws Exception {
        // given
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(new MockResponse.Builder().code(402)
                .body("{\"error\":\"Payment verification failed\",\"details\":\"Insufficient balance\"}").build());

        // when / then
        OkHttpClient client = client(interceptor().build());
        assertThatThrownBy(() -> post(client, null))
                .cause()
                .isInstanceOf(PaymentRejectedException.class)
                .hasMessage("Payment rejected by POST " + url + ": Payment verification failed (Insufficient balance)."
                        + " Nothing more was signed. Check the balance of " + DevKeys.ACCOUNT_0_ADDRESS
                        + " on eip155:8453 and the server's terms, then try again.")
                .extracting(e -> ((PaymentRejectedException) e).reason())
                .isEqualTo("Payment verification failed (Insufficient balance)");
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome).containsExactly(LedgerEntry.Outcome.REJECTED);
        assertThat(ledger.totalCommitted()).isEqualByComparingTo("0");
    }

    @Test
    void should_record_an_unknown_outcome_and_not_sign_again_when_the_connection_drops_after_paying() throws Exception {
        // given
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());

        // when / then
        OkHttpClient client = client(interceptor().build());
        assertThatThrownBy(() -> post(client, null))
                .isInstanceOf(PaymentIOException.class)
                .cause()
                .isInstanceOf(PaymentOutcomeUnknownException.class)
                .hasMessageStartingWith("The connection failed after paying $0.001 for POST " + url);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome).containsExactly(LedgerEntry.Outcome.UNKNOWN);
        assertThat(ledger.totalCommitted()).isEqualByComparingTo("0.001");
    }

    @Test
    void should_not_sign_again_when_a_transport_retry_finds_the_nonce_used() throws Exception {
        // given OkHttp's own retry on a dropped connection, which resends the paid request as it was
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(new MockResponse.Builder().code(402)
                .body("{\"error\":\"Payment verification failed\",\"details\":\"invalid_transaction_state\"}").build());
        OkHttpClient retrying = new OkHttpClient.Builder().addInterceptor(interceptor().build()).build();

        // when / then
        assertThatThrownBy(() -> post(retrying, null))
                .cause()
                .isInstanceOf(PaymentOutcomeUnknownException.class)
                .hasMessageContaining("was already used (Payment verification failed (invalid_transaction_state))");
        assertThat(server.getRequestCount()).isEqualTo(3);
        server.takeRequest();
        String first = server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE");
        assertThat(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE")).isEqualTo(first);
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome).containsExactly(LedgerEntry.Outcome.UNKNOWN);
    }

    @Test
    void should_mark_a_payment_unused_when_the_server_fails_without_settling() throws Exception {
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(new MockResponse.Builder().code(504).body("{\"error\":\"Upstream timeout\"}").build());

        try (Response response = post(client(interceptor().build()), null)) {
            assertThat(response.code()).isEqualTo(504);
        }

        assertThat(ledger.entries()).extracting(LedgerEntry::outcome, LedgerEntry::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        LedgerEntry.Outcome.UNUSED, "the server answered 504 without settling"));
    }

    @Test
    void should_pass_responses_that_are_not_402_through_untouched() throws Exception {
        server.enqueue(new MockResponse.Builder().code(400).body("{\"error\":\"Invalid request body\"}").build());

        try (Response response = post(client(interceptor().build()), null)) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(response.body().string()).isEqualTo("{\"error\":\"Invalid request body\"}");
        }
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void should_append_every_payment_to_the_jsonl_ledger(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("ledger/payments.jsonl");
        SpendLedger fileLedger = SpendLedger.appendingTo(file);
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", TX));

        // when
        post(client(interceptor().ledger(fileLedger).build()), null).close();
        fileLedger.close();

        // then
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode pending = Json.MAPPER.readTree(lines.get(0));
        JsonNode settled = Json.MAPPER.readTree(lines.get(1));
        assertThat(pending.get("id").asLong()).isEqualTo(1);
        assertThat(pending.get("outcome").asText()).isEqualTo("PENDING");
        assertThat(settled.get("id").asLong()).isEqualTo(1);
        assertThat(settled.get("outcome").asText()).isEqualTo("SETTLED");
        assertThat(settled.get("transaction").asText()).isEqualTo(TX);
        assertThat(settled.get("amount").asText()).isEqualTo("1000");
        assertThat(settled.get("usd").asText()).isEqualTo("0.001000");
        assertThat(settled.get("payer").asText()).isEqualTo(DevKeys.ACCOUNT_0_ADDRESS);
        assertThat(settled.get("network").asText()).isEqualTo("eip155:8453");
    }

    @Test
    void should_require_a_wallet() {
        assertThatThrownBy(() -> X402Interceptor.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Wallet required: set BLOCKRUN_WALLET_KEY or call wallet(..).");
    }
}
