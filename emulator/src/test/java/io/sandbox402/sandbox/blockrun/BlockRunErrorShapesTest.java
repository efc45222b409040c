package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.x402.LedgerEntry;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.PaymentRejectedException;
import io.sandbox402.x402.Wallet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One test per error shape BlockRun documents (PROTOCOL.md section 5), on a MockWebServer that answers
 * as BlockRun does: the exception's type and message, and what the ledger recorded.
 */
class BlockRunErrorShapesTest {
    static final String TX = "0x" + "ab".repeat(32);

    final MockWebServer server = new MockWebServer();
    /** The answer to a paid request, by operation; unpaid requests get a 402 quote unless {@link #unpaid} says otherwise. */
    final Map<String, MockResponse> paid = new ConcurrentHashMap<>();
    final Map<String, MockResponse> unpaid = new ConcurrentHashMap<>();
    BlockRunProvider provider;

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String operation = request.getUrl().pathSegments().get(request.getUrl().pathSize() - 1);
                boolean isPaid = request.getHeaders().get("PAYMENT-SIGNATURE") != null;
                if (!isPaid) {
                    return unpaid.getOrDefault(operation, quote(request.getUrl().toString(), "exec".equals(operation) ? "2000" : "11000"));
                }
                return paid.getOrDefault(operation, ok(operation));
            }
        });
        server.start();
        provider = BlockRunProvider.builder()
                .apiUrl(server.url("/api").toString())
                .wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY))
                .shutdownHook(false)
                .maxRetries(0)
                .build();
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    static MockResponse quote(String url, String amount) {
        String requirements = "{\"x402Version\":2,\"error\":\"PAYMENT-SIGNATURE header is required\",\"resource\":{\"url\":\""
                + url + "\",\"description\":\"BlockRun sandbox\",\"mimeType\":\"application/json\"},\"accepts\":[{\"scheme\":"
                + "\"exact\",\"network\":\"eip155:8453\",\"amount\":\"" + amount + "\",\"asset\":\"" + Network.BASE.usdcAddress()
                + "\",\"payTo\":\"" + DevKeys.ACCOUNT_1_ADDRESS + "\",\"maxTimeoutSeconds\":300,\"extra\":{\"name\":\"USD Coin\","
                + "\"version\":\"2\"}}],\"extensions\":{}}";
        return new MockResponse.Builder().code(402)
                .setHeader("PAYMENT-REQUIRED", base64(requirements))
                .setHeader("Content-Type", "application/json")
                .body("{\"error\":\"Payment Required\",\"message\":\"This endpoint requires x402 payment\",\"price\":{\"amount\":\""
                        + new java.math.BigDecimal(amount).movePointLeft(6).toPlainString() + "\",\"currency\":\"USD\",\"model\":\"flat\"}}")
                .build();
    }

    static MockResponse ok(String operation) {
        String body = switch (operation) {
            case "create" -> "{\"sandbox_id\":\"sb-1\",\"status\":\"running\",\"created_at\":\"2026-11-23T00:00:00Z\",\"config\":{}}";
            case "exec" -> "{\"sandbox_id\":\"sb-1\",\"stdout\":\"4\\n\",\"stderr\":\"\",\"returncode\":0}";
            case "terminate" -> "{\"sandbox_id\":\"sb-1\",\"status\":\"terminated\"}";
            default -> "{\"sandbox_id\":\"sb-1\",\"status\":\"running\",\"returncode\":null}";
        };
        return new MockResponse.Builder().code(200)
                .setHeader("PAYMENT-RESPONSE", base64("{\"success\":true,\"transaction\":\"" + TX
                        + "\",\"network\":\"eip155:8453\",\"payer\":\"" + DevKeys.ACCOUNT_0_ADDRESS + "\"}"))
                .setHeader("X-Payment-Receipt", TX)
                .setHeader("Cache-Control", "no-store")
                .body(body).build();
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    static String base64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    LedgerEntry lastPayment() {
        return provider.ledger().entries().get(provider.ledger().count() - 1);
    }

    Sandbox sandbox() {
        return provider.create(SandboxSpec.defaults());
    }

    @Test
    void should_settle_a_successful_call_with_its_receipt() {
        Sandbox sandbox = sandbox();

        assertThat(sandbox.exec("echo", "4").stdout()).isEqualTo("4\n");
        assertThat(lastPayment().outcome()).isEqualTo(LedgerEntry.Outcome.SETTLED);
        assertThat(lastPayment().transaction()).isEqualTo(TX);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PAYMENT_INVALID|the signed payment is invalid",
            "PAYMENT_UNFUNDED|the wallet has not enough USDC, or the authorization expired before it arrived. Fund the wallet (or check the clock) and try again",
            "PAYMENT_BLOCKHASH_STALE|the payment was signed against stale chain state. Try again",
            "PAYMENT_REPLAY|this authorization was used already; each request signs a fresh one, so an earlier delivery of the same request may have been served and charged. Check before repeating"})
    void should_explain_a_refused_payment_by_its_code(String code, String meaning) {
        // given
        Sandbox sandbox = sandbox();
        paid.put("exec", json(402, "{\"error\":\"Payment verification failed\",\"code\":\"" + code
                + "\",\"message\":\"Rejected by facilitator\"}"));

        // when / then
        assertThatThrownBy(() -> sandbox.exec("true"))
                .isInstanceOf(BlockRunPaymentException.class)
                .hasMessage("BlockRun refused the payment for exec (402 " + code + ": Rejected by facilitator): " + meaning
                        + ". The exec did not run and this payment was not charged; nothing more was signed.")
                .hasCauseInstanceOf(PaymentRejectedException.class)
                .extracting(e -> ((BlockRunPaymentException) e).code()).isEqualTo(code);
        assertThat(lastPayment().outcome()).isEqualTo(LedgerEntry.Outcome.REJECTED);
        assertThat(provider.ledger().totalSettled()).isEqualByComparingTo("0.011"); // the create only
    }

    @Test
    void should_say_a_failed_settlement_ran_the_call_but_charged_nothing() {
        Sandbox sandbox = sandbox();
        paid.put("exec", json(402, "{\"error\":\"Payment settlement failed\",\"details\":\"transaction reverted\"}"));

        assertThatThrownBy(() -> sandbox.exec("true"))
                .isInstanceOf(SettlementFailedException.class)
                .hasMessage("BlockRun ran the exec but its payment did not settle (402 Payment settlement failed: transaction"
                        + " reverted). Nothing was charged, but the call took effect (the command ran) and its answer is lost."
                        + " Check the wallet, then repeat the call if needed.");
        assertThat(lastPayment().outcome()).isEqualTo(LedgerEntry.Outcome.REJECTED);
    }

    @Test
    void should_say_a_502_was_not_charged() {
        Sandbox sandbox = sandbox();
        paid.put("exec", json(502, "{\"error\":\"Sandbox service error\",\"details\":\"upstream timeout. Payment was NOT charged.\"}"));

        assertThatThrownBy(() -> sandbox.exec("true"))
                .isInstanceOf(UpstreamFailureException.class)
                .hasMessage("BlockRun's sandbox service failed on exec (502 Sandbox service error: upstream timeout. Payment was"
                        + " NOT charged.). Payment was NOT charged. The sandbox may have run part of it; check its state before"
                        + " repeating.");
        assertThat(lastPayment().outcome()).isEqualTo(LedgerEntry.Outcome.UNUSED);
    }

    @Test
    void should_say_a_paused_service_charged_nothing() {
        unpaid.put("create", json(503, "{\"error\":\"Modal sandbox integration is paused\"}"));

        assertThatThrownBy(this::sandbox)
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessage("BlockRun's sandbox service is paused or not configured (503 Modal sandbox integration is paused)."
                        + " Nothing ran and nothing was charged. Try again later.");
        assertThat(provider.ledger().entries()).isEmpty();
    }

    @Test
    void should_recognize_an_unknown_sandbox_passed_through_as_bad_request() {
        Sandbox sandbox = sandbox();
        paid.put("exec", json(400, "{\"error\":\"Bad Request\",\"details\":{\"detail\":\"Sandbox sb-1 not found\"}}"));

        assertThatThrownBy(() -> sandbox.exec("true"))
                .isInstanceOf(SandboxNotFoundException.class)
                .hasMessage("Sandbox sb-1 is not known to BlockRun (400 Bad Request: {\"detail\":\"Sandbox sb-1 not found\"}): it"
                        + " was terminated, timed out or never existed. Nothing was charged. Create a new sandbox.");
        assertThat(lastPayment().outcome()).isEqualTo(LedgerEntry.Outcome.UNUSED);
    }

    @Test
    void should_recognize_an_unknown_sandbox_from_a_404() {
        Sandbox sandbox = sandbox();
        paid.put("status", json(404, "{\"error\":\"Sandbox not found\",\"sandbox_id\":\"sb-1\"}"));

        assertThatThrownBy(sandbox::status)
                .isInstanceOf(SandboxNotFoundException.class)
                .hasMessageStartingWith("Sandbox sb-1 is not known to BlockRun (404 Sandbox not found): ");
    }

    @Test
    void should_name_an_unknown_endpoint() {
        unpaid.put("create", json(404, "{\"error\":\"Not found\",\"available\":[\"/api/v1/modal/sandbox/create\"]}"));

        assertThatThrownBy(this::sandbox)
                .isInstanceOf(BlockRunException.class)
                .isNotInstanceOf(SandboxNotFoundException.class)
                .hasMessage("BlockRun has no endpoint " + server.url("/api/v1/modal/sandbox/create") + " (404 Not found); it"
                        + " offers [\"/api/v1/modal/sandbox/create\"]. Nothing was charged. Check BLOCKRUN_API_URL (it ends in /api).");
    }

    @Test
    void should_explain_an_invalid_request_body() {
        unpaid.put("create", json(400, "{\"error\":\"Invalid request body\",\"details\":[{\"path\":[\"image\"],"
                + "\"message\":\"Invalid literal value, expected \\\"python:3.11\\\"\"}]}"));

        assertThatThrownBy(this::sandbox)
                .isInstanceOf(BlockRunException.class)
                .hasMessage("BlockRun rejected the create request (400 Invalid request body): image: Invalid literal value,"
                        + " expected \"python:3.11\". Fix the request; it was not charged.");
    }

    @Test
    void should_fail_on_a_huge_answer_without_reading_it() {
        Sandbox sandbox = sandbox();
        Buffer huge = new Buffer();
        huge.writeUtf8("{\"stdout\":\"");
        byte[] line = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 17 * 16; i++) {
            huge.write(line);
        }
        paid.put("exec", new MockResponse.Builder().code(200).body(huge).build());

        assertThatThrownBy(() -> sandbox.exec("true"))
                .isInstanceOf(BlockRunException.class)
                .hasMessageStartingWith("BlockRun's answer to exec is larger than 16777216 bytes, the most this client reads"
                        + " (Content-Length: 17825803); it was not read. The call itself succeeded and was paid");
    }

    @Test
    void should_give_up_on_an_answer_dripping_one_byte_every_two_seconds() {
        try (BlockRunProvider impatient = BlockRunProvider.builder().apiUrl(server.url("/api").toString())
                .wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY)).shutdownHook(false).callTimeout(Duration.ofSeconds(3)).build()) {
            unpaid.put("create", new MockResponse.Builder().code(200).body("{\"sandbox_id\":\"sb-drip\"," + " ".repeat(100) + "}")
                    .throttleBody(1, 2, TimeUnit.SECONDS).build());
            long started = System.nanoTime();

            assertThatThrownBy(() -> impatient.create(SandboxSpec.defaults()))
                    .isInstanceOf(BlockRunException.class)
                    .hasMessageStartingWith("Cannot reach BlockRun at " + server.url("/api/v1/modal/sandbox/create") + ": ")
                    .hasMessageContaining("no complete answer within the call's deadline of 3 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void should_quote_a_price_record_for_free() {
        BlockRunQuote quote = provider.quote("exec", Map.of("sandbox_id", "sb-1", "command", new String[] {"true"}));

        assertThat(quote.usd()).isEqualByComparingTo("0.002");
        assertThat(quote.price()).isEqualTo("$0.002");
        assertThat(quote.model()).isEqualTo("flat");
        assertThat(quote.network()).isEqualTo("eip155:8453");
        assertThat(provider.ledger().entries()).isEmpty();
    }
}
