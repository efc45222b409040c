package io.sandbox402.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.x402.internal.Json;
import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.X402Codec;
import io.sandbox402.x402.internal.PaymentPayload;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quotes kept across processes: each "process" here is a new interceptor with its own ledger and the same directory. */
class QuoteCacheTest {
    static final Instant NOW = X402InterceptorTest.NOW;
    static final String ATTACKER = DevKeys.ACCOUNT_2_ADDRESS;

    final MockWebServer server = new MockWebServer();
    @TempDir
    Path cache;
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

    /** A new process: its own interceptor and ledger, the shared quote cache, a clock {@code later} after {@link #NOW}. */
    X402Interceptor process(SpendLedger ledger, Duration later, PaymentPolicy policy) {
        Clock clock = Clock.fixed(NOW.plus(later), ZoneOffset.UTC);
        return X402Interceptor.builder().wallet(X402InterceptorTest.WALLET).ledger(ledger).clock(clock)
                .policy(policy).quoteCache(cache).build();
    }

    X402Interceptor process(SpendLedger ledger, Duration later) {
        return process(ledger, later, PaymentPolicy.defaults());
    }

    Response post(X402Interceptor interceptor) throws IOException {
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(interceptor).retryOnConnectionFailure(false).build();
        Request request = new Request.Builder().url(url)
                .post(RequestBody.create("{\"sandbox_id\":\"sb-1\",\"command\":[\"echo\"]}", MediaType.get("application/json")))
                .build();
        return client.newCall(request).execute();
    }

    /** The first process: a 402, then the paid request; the quote is stored. */
    void firstProcess() throws Exception {
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", X402InterceptorTest.TX));
        try (Response response = post(process(new SpendLedger(), Duration.ZERO))) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
        server.takeRequest();
        server.takeRequest();
    }

    Path file() {
        return cache.resolve(HttpUrl.get(url).host() + "_" + HttpUrl.get(url).port() + ".json");
    }

    @Test
    void should_pay_with_the_first_request_in_a_second_process() throws Exception {
        // given
        firstProcess();
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", X402InterceptorTest.TX));
        SpendLedger ledger = new SpendLedger();

        // when
        try (Response response = post(process(ledger, Duration.ofMinutes(5)))) {
            assertThat(response.code()).isEqualTo(200);
        }

        // then
        assertThat(server.getRequestCount()).isEqualTo(3);
        RecordedRequest paid = server.takeRequest();
        PaymentPayload payment = Quotes.decodePayment(paid.getHeaders().get("PAYMENT-SIGNATURE"));
        assertThat(payment.authorization().to()).isEqualTo(Quotes.PAY_TO);
        assertThat(payment.authorization().value()).isEqualTo(BigInteger.valueOf(1000));
        assertThat(payment.accepted()).isEqualTo(Json.MAPPER.readTree(Quotes.v2Json(url, "1000")).get("accepts").get(0));
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome).containsExactly(LedgerEntry.Outcome.SETTLED);
    }

    @Test
    void should_keep_the_file_private_and_free_of_secrets() throws Exception {
        firstProcess();

        String text = Files.readString(file());
        assertThat(Files.getPosixFilePermissions(file()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        JsonNode entry = Json.MAPPER.readTree(text).get("quotes").elements().next();
        assertThat(entry.get("payTo").asText()).isEqualTo(Quotes.PAY_TO);
        assertThat(entry.get("network").asText()).isEqualTo("eip155:8453");
        assertThat(entry.get("asset").asText()).isEqualTo(Quotes.BASE_USDC);
        assertThat(entry.get("amount").asText()).isEqualTo("1000");
        assertThat(entry.get("quotedAt").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(entry.get("ttlSeconds").asLong()).isEqualTo(600);
        assertThat(text).doesNotContainIgnoringCase(DevKeys.ACCOUNT_0_KEY.replace("0x", ""))
                .doesNotContain("signature").doesNotContain("nonce");
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).containsExactly(file()); // no temporary file left behind
        }
    }

    @Test
    void should_make_its_directory_private() throws Exception {
        cache = cache.resolve("made").resolve("sandbox402");

        firstProcess();

        assertThat(Files.getPosixFilePermissions(cache)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void should_ask_the_price_again_once_the_ttl_has_passed() throws Exception {
        // given
        firstProcess();
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", X402InterceptorTest.TX));

        // when
        post(process(new SpendLedger(), Duration.ofMinutes(10))).close();

        // then
        assertThat(server.getRequestCount()).isEqualTo(4);
        assertThat(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE")).isNull();
        assertThat(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE")).isNotNull();
    }

    @Test
    void should_not_sign_for_a_tampered_payee_the_policy_does_not_allow() throws Exception {
        // given a stored quote whose payee was changed, requirements and all
        firstProcess();
        Files.writeString(file(), Files.readString(file()).replace(Quotes.PAY_TO, ATTACKER));
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", X402InterceptorTest.TX));
        SpendLedger ledger = new SpendLedger();
        PaymentPolicy pinned = PaymentPolicy.builder().allowPayees(Quotes.PAY_TO).build();

        // when
        try (Response response = post(process(ledger, Duration.ofMinutes(1), pinned))) {
            assertThat(response.code()).isEqualTo(200);
        }

        // then: nothing signed for the attacker, the price asked, the payee of the 402 paid and stored
        assertThat(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE")).isNull();
        assertThat(Quotes.decodePayment(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE")).authorization().to())
                .isEqualTo(Quotes.PAY_TO);
        assertThat(ledger.entries()).extracting(LedgerEntry::payTo, LedgerEntry::outcome)
                .containsExactly(tuple(Quotes.PAY_TO, LedgerEntry.Outcome.SETTLED));
        assertThat(Files.readString(file())).contains(Quotes.PAY_TO).doesNotContain(ATTACKER);
    }

    @Test
    void should_ignore_an_entry_whose_payee_differs_from_its_requirements() throws Exception {
        // given only the summary changed: the requirements still name the real payee
        firstProcess();
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(file().toFile());
        ((ObjectNode) root.get("quotes").elements().next()).put("payTo", ATTACKER);
        Files.write(file(), Json.MAPPER.writeValueAsBytes(root));
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", X402InterceptorTest.TX));

        // when
        post(process(new SpendLedger(), Duration.ofMinutes(1))).close();

        // then
        assertThat(server.getRequestCount()).isEqualTo(4);
        assertThat(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE")).isNull();
    }

    @Test
    void should_fall_back_once_count_the_unused_authorization_and_store_the_new_price() throws Exception {
        // given a stored price of $0.001; the server now asks $0.002
        firstProcess();
        server.enqueue(Quotes.v2(url, "2000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", X402InterceptorTest.TX));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", X402InterceptorTest.TX));
        SpendLedger ledger = SpendLedger.builder().clock(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC)).build();
        X402Interceptor second = process(ledger, Duration.ofMinutes(1));

        // when
        try (Response response = post(second)) {
            assertThat(response.code()).isEqualTo(200);
        }

        // then: pre-paid and answered 402 with the new price, then paid it (one request more than a hit); the
        // refused authorization counts against the session cap until it expires
        assertThat(server.getRequestCount()).isEqualTo(2 + 2);
        assertThat(ledger.entries()).extracting(LedgerEntry::outcome, LedgerEntry::amount).containsExactly(
                tuple(LedgerEntry.Outcome.UNUSED, BigInteger.valueOf(1000)),
                tuple(LedgerEntry.Outcome.SETTLED, BigInteger.valueOf(2000)));
        assertThat(ledger.totalExposed()).isEqualByComparingTo("0.001");
        assertThat(ledger.totalAtRisk()).isEqualByComparingTo("0.003");
        assertThat(Json.MAPPER.readTree(file().toFile()).get("quotes").elements().next().get("amount").asText())
                .isEqualTo("2000");

        // and a third process pays the new price with its first request
        server.takeRequest();
        server.takeRequest();
        post(process(new SpendLedger(), Duration.ofMinutes(2))).close();
        assertThat(server.getRequestCount()).isEqualTo(5);
        assertThat(Quotes.decodePayment(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE")).authorization().value())
                .isEqualTo(BigInteger.valueOf(2000));
    }

    @Test
    void should_ignore_a_corrupt_file_and_replace_it() throws Exception {
        // given
        Files.writeString(file(), "{\"format\":1,\"quotes\":{\"POST " + url + " \":{\"requirements\":", StandardCharsets.UTF_8);
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", X402InterceptorTest.TX));

        // when
        try (Response response = post(process(new SpendLedger(), Duration.ZERO))) {
            assertThat(response.code()).isEqualTo(200);
        }

        // then
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(new QuoteCache(cache, QuoteCache.DEFAULT_TTL).get(HttpUrl.get(url), "POST " + url + " ", NOW)).isPresent();
    }

    @Test
    void should_ignore_an_entry_that_is_not_a_quote() throws Exception {
        Files.writeString(file(), "{\"format\":1,\"quotes\":{\"POST " + url + " \":{\"quotedAt\":\"soon\",\"payTo\":7}}}");
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", X402InterceptorTest.TX));

        post(process(new SpendLedger(), Duration.ZERO)).close();

        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(server.takeRequest().getHeaders().get("PAYMENT-SIGNATURE")).isNull();
    }

    @Test
    void should_leave_a_readable_file_when_processes_write_at_once() throws Exception {
        // given: each writer its own QuoteCache, as separate processes would have
        HttpUrl host = HttpUrl.get(url);
        PaymentRequired required = X402Codec.parsePaymentRequired(Quotes.base64(Quotes.v2Json(url, "1000")), null);
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();

        // when
        for (int w = 0; w < writers; w++) {
            String key = "POST " + url + " writer-" + w;
            done.add(pool.submit(() -> {
                start.await();
                QuoteCache cacheOfProcess = new QuoteCache(cache, QuoteCache.DEFAULT_TTL);
                for (int i = 0; i < 20; i++) {
                    cacheOfProcess.put(host, key, required, required.accepts().get(0), NOW);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();

        // then: one whole file, no temporary left, and at least the last writer's entry readable
        JsonNode root = Json.MAPPER.readTree(file().toFile());
        assertThat(root.get("format").asInt()).isEqualTo(1);
        assertThat(root.get("quotes").size()).isBetween(1, writers);
        String someKey = root.get("quotes").fieldNames().next();
        assertThat(new QuoteCache(cache, QuoteCache.DEFAULT_TTL).get(host, someKey, NOW)).isPresent();
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).containsExactly(file());
        }
    }

    @Test
    void should_write_nothing_when_the_ttl_is_zero() throws Exception {
        server.enqueue(Quotes.v2(url, "1000"));
        server.enqueue(Quotes.ok("PAYMENT-RESPONSE", X402InterceptorTest.TX));
        X402Interceptor interceptor = X402Interceptor.builder().wallet(X402InterceptorTest.WALLET)
                .quoteCache(cache).quoteCacheTtl(Duration.ZERO).build();

        post(interceptor).close();

        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void should_say_whether_a_price_is_remembered() throws Exception {
        assertThat(process(new SpendLedger(), Duration.ZERO).remembersQuote("POST", url, "")).isFalse();

        firstProcess();

        assertThat(process(new SpendLedger(), Duration.ofMinutes(1)).remembersQuote("POST", url, "")).isTrue();
        assertThat(process(new SpendLedger(), Duration.ofMinutes(1)).remembersQuote("POST", url, "gpu=H100")).isFalse();
        assertThat(process(new SpendLedger(), Duration.ofMinutes(11)).remembersQuote("POST", url, "")).isFalse();
    }

    @Test
    void should_take_its_directory_from_the_property_or_be_off() {
        String before = System.getProperty(QuoteCache.PROPERTY);
        try {
            System.setProperty(QuoteCache.PROPERTY, cache.toString());
            assertThat(QuoteCache.defaultDirectory()).contains(cache);
            System.setProperty(QuoteCache.PROPERTY, "off");
            assertThat(QuoteCache.defaultDirectory()).isEmpty();
        } finally {
            if (before == null) {
                System.clearProperty(QuoteCache.PROPERTY);
            } else {
                System.setProperty(QuoteCache.PROPERTY, before);
            }
        }
    }

    @Test
    void should_be_off_in_the_test_suites() {
        // The build sets SANDBOX402_QUOTE_CACHE=off so that no test writes into the user's ~/.cache.
        assertThat(System.getenv(QuoteCache.ENV)).isEqualTo("off");
        assertThat(QuoteCache.defaultDirectory()).isEmpty();
    }
}
