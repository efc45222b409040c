package io.sandbox402.emulator;

import static io.sandbox402.emulator.EmulatorHttp.PAYER;
import static io.sandbox402.emulator.EmulatorHttp.pay;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sandbox402.emulator.EmulatorHttp.Answer;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.internal.Authorization;
import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.PaymentRequirements;
import io.sandbox402.x402.internal.SettleResponse;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The emulator's x402 server side (public beta profile), driven by hand-made payments over plain HTTP. */
class BlockRunEmulatorTest {
    LocalProvider local;
    BlockRunEmulator emulator;
    EmulatorHttp http;

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local).build().start();
        http = new EmulatorHttp(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
        local.close();
    }

    @Test
    void should_quote_each_operation_without_serving_it() {
        // when
        Answer answer = http.post("create", "{\"image\":\"python:3.11\"}", null);

        // then
        assertThat(answer.code()).isEqualTo(402);
        assertThat(answer.body().toString()).isEqualTo("{\"error\":\"Payment Required\",\"message\":\"This endpoint requires"
                + " x402 payment\",\"endpoint\":\"/api/v1/modal/sandbox/create\",\"method\":\"POST\",\"description\":"
                + "\"Create a Modal sandbox (CPU, 300 s)\",\"price\":{\"amount\":\"0.0110\",\"currency\":\"USD\",\"model\":"
                + "\"flat\"},\"paymentInfo\":{\"network\":\"eip155:8453\",\"networkName\":\"Base\",\"asset\":\"USDC\","
                + "\"x402Version\":2}}");
        assertThat(answer.header("X-Payment-Required")).isEqualTo(answer.header("PAYMENT-REQUIRED"));
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("X402 requirements=\"" + answer.header("PAYMENT-REQUIRED") + "\"");
        PaymentRequired required = answer.required();
        assertThat(required.x402Version()).isEqualTo(2);
        assertThat(required.resource().get("url").asText()).endsWith("/api/v1/modal/sandbox/create");
        PaymentRequirements entry = required.accepts().get(0);
        assertThat(entry.scheme()).isEqualTo("exact");
        assertThat(entry.network()).isEqualTo("eip155:8453");
        assertThat(entry.amount()).isEqualTo(BigInteger.valueOf(11_000));
        assertThat(entry.asset()).isEqualTo(Network.BASE.usdcAddress());
        assertThat(entry.extra()).containsEntry("name", "USD Coin").containsEntry("version", "2");
        assertThat(emulator.runningSandboxes()).isZero();
        assertThat(emulator.payments()).isEmpty();
        assertThat(http.post("exec", "{\"sandbox_id\":\"sb-x\",\"command\":[\"true\"]}", null).body().get("price").get("amount")
                .asText()).isEqualTo("0.0020");
    }

    @Test
    void should_serve_and_settle_a_good_payment() {
        // given
        PaymentRequired quote = http.quote("create", "{}");

        // when
        Answer created = http.post("create", "{}", pay(quote));

        // then
        assertThat(created.code()).isEqualTo(200);
        assertThat(created.body().get("sandbox_id").asText()).startsWith("sb-");
        assertThat(created.body().get("status").asText()).isEqualTo("running");
        assertThat(created.body().get("config").toString())
                .isEqualTo("{\"image\":\"python:3.11\",\"timeout\":300,\"cpu\":1.0,\"memory\":512,\"gpu\":null}");
        SettleResponse settle = X402Codec.decodeSettle(created.header("PAYMENT-RESPONSE"));
        assertThat(settle.success()).isTrue();
        assertThat(settle.payer()).isEqualTo(PAYER.address());
        assertThat(settle.transaction()).matches("0x[0-9a-f]{64}");
        assertThat(created.header("X-Payment-Receipt")).isEqualTo(settle.transaction());
        assertThat(created.header("X-Payment-Response")).isEqualTo(created.header("PAYMENT-RESPONSE"));
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        assertThat(emulator.runningSandboxes()).isEqualTo(1);
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("999.989");
    }

    static Stream<Arguments> badPayments() {
        return Stream.of(
                Arguments.of("paid to someone else", (UnaryOperator<Authorization>) a -> new Authorization(a.from(),
                        DevKeys.ACCOUNT_2_ADDRESS, a.value(), a.validAfter(), a.validBefore(), a.nonce()),
                        "invalid_exact_evm_payload_recipient_mismatch", "PAYMENT_INVALID"),
                Arguments.of("too little", (UnaryOperator<Authorization>) a -> new Authorization(a.from(), a.to(),
                        a.value().subtract(BigInteger.ONE), a.validAfter(), a.validBefore(), a.nonce()),
                        "invalid_exact_evm_payload_authorization_value", "PAYMENT_INVALID"),
                Arguments.of("expired", (UnaryOperator<Authorization>) a -> new Authorization(a.from(), a.to(), a.value(),
                        a.validAfter() - 1000, a.validAfter(), a.nonce()),
                        "invalid_exact_evm_payload_authorization_valid_before", "PAYMENT_UNFUNDED"),
                Arguments.of("not yet valid", (UnaryOperator<Authorization>) a -> new Authorization(a.from(), a.to(),
                        a.value(), a.validBefore() - 10, a.validBefore(), a.nonce()),
                        "invalid_exact_evm_payload_authorization_valid_after", "PAYMENT_INVALID"),
                Arguments.of("signed for another payer", (UnaryOperator<Authorization>) a -> new Authorization(
                        DevKeys.ACCOUNT_1_ADDRESS, a.to(), a.value(), a.validAfter(), a.validBefore(), a.nonce()),
                        "invalid_exact_evm_payload_signature", "PAYMENT_INVALID"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPayments")
    void should_refuse_a_bad_payment_with_its_code_and_not_serve(String description, UnaryOperator<Authorization> edit,
            String reason, String code) {
        // given
        PaymentRequired quote = http.quote("create", "{}");

        // when
        Answer answer = http.post("create", "{}", pay(quote, edit));

        // then
        assertThat(answer.code()).isEqualTo(402);
        assertThat(answer.body().get("error").asText()).isEqualTo("Payment verification failed");
        assertThat(answer.body().get("code").asText()).isEqualTo(code);
        assertThat(answer.body().get("message").asText()).isNotBlank();
        assertThat(answer.body().get("details").asText()).isEqualTo(reason);
        assertThat(answer.required().error()).isEqualTo(reason);
        assertThat(emulator.runningSandboxes()).isZero();
        assertThat(emulator.payments()).singleElement().satisfies(payment -> {
            assertThat(payment.settled()).isFalse();
            assertThat(payment.reason()).isEqualTo(reason);
        });
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("1000");
    }

    @Test
    void should_refuse_a_replayed_payment() {
        // given a payment that was settled
        String payment = pay(http.quote("create", "{}"));
        assertThat(http.post("create", "{}", payment).code()).isEqualTo(200);

        // when it is sent again
        Answer replay = http.post("create", "{}", payment);

        // then
        assertThat(replay.code()).isEqualTo(402);
        assertThat(replay.body().get("code").asText()).isEqualTo("PAYMENT_REPLAY");
        assertThat(replay.body().get("message").asText())
                .isEqualTo("This payment authorization was already used. Sign a fresh one for each request.");
        assertThat(emulator.runningSandboxes()).isEqualTo(1);
    }

    @Test
    void should_refuse_a_payer_without_funds() {
        emulator.fund(PAYER.address(), new BigDecimal("0.005"));

        Answer answer = http.paid("create", "{}");

        assertThat(answer.code()).isEqualTo(402);
        assertThat(answer.body().get("code").asText()).isEqualTo("PAYMENT_UNFUNDED");
        assertThat(answer.body().get("details").asText()).isEqualTo("insufficient_funds");
        assertThat(answer.body().get("message").asText())
                .isEqualTo("The payer's USDC balance does not cover $0.011. Fund the wallet and sign a fresh payment.");
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("0.005");
    }

    @Test
    void should_not_charge_a_call_that_failed() {
        // when: an exec for a sandbox that does not exist
        Answer answer = http.paid("exec", "{\"sandbox_id\":\"sb-missing\",\"command\":[\"true\"]}");

        // then
        assertThat(answer.code()).isEqualTo(404);
        assertThat(answer.body().toString())
                .isEqualTo("{\"error\":\"Bad Request\",\"details\":{\"detail\":\"Sandbox sb-missing not found\"}}");
        assertThat(answer.header("PAYMENT-RESPONSE")).isNull();
        assertThat(emulator.payments()).singleElement().satisfies(payment -> {
            assertThat(payment.settled()).isFalse();
            assertThat(payment.reason()).isEqualTo("handler_failed");
        });
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("1000");
    }

    @Test
    void should_answer_invalid_bodies_in_blockruns_shape_before_asking_for_payment() {
        assertThat(http.post("exec", "{\"sandbox_id\":\"sb-1\",\"command\":\"python -c 1\"}", null).body().toString())
                .isEqualTo("{\"error\":\"Invalid request body\",\"details\":[{\"path\":[\"command\"],"
                        + "\"message\":\"Expected array, received string\",\"expected\":\"array\"}]}");
        assertThat(http.post("status", "{}", null).path()).isEqualTo("[\"sandbox_id\"]");
        Answer gpu = http.post("create", "{\"gpu\":\"TPU\"}", null);
        assertThat(gpu.code()).isEqualTo(400);
        assertThat(gpu.body().get("details").get(0).get("message").asText())
                .isEqualTo("Invalid enum value. Expected 'T4' | 'L4' | 'A10G' | 'A100' | 'H100', received 'TPU'");
        Answer json = http.post("create", "not json", null);
        assertThat(json.code()).isEqualTo(400);
        assertThat(json.body().get("error").asText()).isEqualTo("Invalid request body");
        assertThat(emulator.payments()).isEmpty();
    }

    @Test
    void should_run_paid_commands_in_the_sandbox_it_created() {
        // given
        String id = http.create("{}");

        // when
        Answer answer = http.exec(id, "python3", "-c", "print(2+2)");

        // then
        assertThat(answer.body().toString()).isEqualTo("{\"sandbox_id\":\"" + id + "\",\"stdout\":\"4\\n\",\"stderr\":\"\",\"returncode\":0}");
        assertThat(emulator.requests()).extracting(EmulatorRequest::operation, EmulatorRequest::paid, EmulatorRequest::status)
                .containsExactly(
                        Tuple.tuple("create", false, 402),
                        Tuple.tuple("create", true, 200),
                        Tuple.tuple("exec", false, 402),
                        Tuple.tuple("exec", true, 200));
        assertThat(emulator.requestCount()).isEqualTo(4);
        assertThat(emulator.settledPaymentCount()).isEqualTo(2);
    }

    @Test
    void should_speak_version_1_when_asked() throws IOException {
        try (BlockRunEmulator v1 = BlockRunEmulator.builder().provider(local).x402Version(1).build().start()) {
            Request request = new Request.Builder().url(v1.baseUrl() + "/v1/modal/sandbox/create")
                    .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
            try (Response response = new OkHttpClient().newCall(request).execute()) {
                JsonNode body = EmulatorHttp.JSON.readTree(response.body().string());
                assertThat(response.code()).isEqualTo(402);
                assertThat(response.header("PAYMENT-REQUIRED")).isNull();
                assertThat(body.get("x402Version").asInt()).isEqualTo(1);
                assertThat(body.get("accepts").get(0).get("network").asText()).isEqualTo("base");
                assertThat(body.get("accepts").get(0).get("maxAmountRequired").asText()).isEqualTo("11000");
            }
        }
    }

    @Test
    void should_keep_the_last_requests_and_count_them_all() {
        try (BlockRunEmulator small = BlockRunEmulator.builder().provider(local).logLimit(3).build().start()) {
            EmulatorHttp client = new EmulatorHttp(small);
            for (int i = 0; i < 5; i++) {
                client.post("status", "{\"sandbox_id\":\"sb-" + i + "\"}", null);
            }

            assertThat(small.requests()).extracting(EmulatorRequest::sandboxId).containsExactly("sb-2", "sb-3", "sb-4");
            assertThat(small.requestCount()).isEqualTo(5);
        }
    }
}
