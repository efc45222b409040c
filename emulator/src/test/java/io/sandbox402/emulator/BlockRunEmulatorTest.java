package io.sandbox402.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.Authorization;
import io.sandbox402.x402.Eip3009Signer;
import io.sandbox402.x402.Eip712Domain;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.PaymentPayload;
import io.sandbox402.x402.PaymentRequired;
import io.sandbox402.x402.PaymentRequirements;
import io.sandbox402.x402.SettleResponse;
import io.sandbox402.x402.Wallet;
import io.sandbox402.x402.X402Codec;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The emulator's x402 server side, driven by hand-made payments over plain HTTP. */
class BlockRunEmulatorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Wallet PAYER = Wallet.fromHex(DevKeys.ACCOUNT_0_KEY);

    LocalProvider local;
    BlockRunEmulator emulator;
    final OkHttpClient http = new OkHttpClient();

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local).build().start();
    }

    @AfterEach
    void stop() {
        emulator.close();
        local.close();
    }

    record Answer(int code, JsonNode body, String paymentRequired, String paymentResponse) {}

    Answer post(String operation, String body, String payment) throws IOException {
        Request.Builder request = new Request.Builder()
                .url(emulator.baseUrl() + "/v1/modal/sandbox/" + operation)
                .post(RequestBody.create(body, MediaType.get("application/json")));
        if (payment != null) {
            request.header("PAYMENT-SIGNATURE", payment);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            return new Answer(response.code(), JSON.readTree(response.body().string()),
                    response.header("PAYMENT-REQUIRED"), response.header("PAYMENT-RESPONSE"));
        }
    }

    /** A payment for the quote {@code required}, changed by {@code edit} before it is signed. */
    static String pay(PaymentRequired required, UnaryOperator<Authorization> edit) {
        PaymentRequirements accepted = required.accepts().get(0);
        long now = Instant.now().getEpochSecond();
        Authorization authorization = edit.apply(new Authorization(PAYER.address(), accepted.payTo(), accepted.amount(),
                now - 600, now + 300, String.format("0x%064x", new BigInteger(250, new java.security.SecureRandom()))));
        String signature = new Eip3009Signer(PAYER).sign(Eip712Domain.usdc(Network.BASE), authorization);
        return X402Codec.encodePayment(new PaymentPayload(2, "exact", accepted.network(), required.resource(),
                accepted.raw(), signature, authorization, required.extensions()));
    }

    String paidCreate() throws IOException {
        Answer quote = post("create", "{}", null);
        Answer created = post("create", "{}", pay(X402Codec.parsePaymentRequired(quote.paymentRequired(), null), a -> a));
        assertThat(created.code()).isEqualTo(200);
        return created.body().get("sandbox_id").asText();
    }

    @Test
    void should_quote_each_operation_without_serving_it() throws IOException {
        // when
        Answer answer = post("create", "{\"image\":\"python:3.11\"}", null);

        // then
        assertThat(answer.code()).isEqualTo(402);
        assertThat(answer.body().toString()).isEqualTo("{\"error\":\"Payment Required\",\"price\":{\"amount\":\"0.0100\",\"currency\":\"USD\"}}");
        PaymentRequired required = X402Codec.parsePaymentRequired(answer.paymentRequired(), null);
        assertThat(required.x402Version()).isEqualTo(2);
        assertThat(required.resource().get("url").asText()).endsWith("/api/v1/modal/sandbox/create");
        PaymentRequirements entry = required.accepts().get(0);
        assertThat(entry.scheme()).isEqualTo("exact");
        assertThat(entry.network()).isEqualTo("eip155:8453");
        assertThat(entry.amount()).isEqualTo(BigInteger.valueOf(10_000));
        assertThat(entry.asset()).isEqualTo(Network.BASE.usdcAddress());
        assertThat(entry.extra()).containsEntry("name", "USD Coin").containsEntry("version", "2");
        assertThat(emulator.runningSandboxes()).isZero();
        assertThat(emulator.payments()).isEmpty();
        assertThat(post("exec", "{\"sandbox_id\":\"sb-x\",\"command\":[\"true\"]}", null).body().get("price").get("amount").asText())
                .isEqualTo("0.0010");
    }

    @Test
    void should_price_a_gpu_create_by_its_tier() throws IOException {
        Answer answer = post("create", "{\"gpu\":\"H100\"}", null);

        assertThat(X402Codec.parsePaymentRequired(answer.paymentRequired(), null).accepts().get(0).amount())
                .isEqualTo(BigInteger.valueOf(400_000));
    }

    @Test
    void should_serve_and_settle_a_good_payment() throws IOException {
        // given
        Answer quote = post("create", "{}", null);

        // when
        Answer created = post("create", "{}", pay(X402Codec.parsePaymentRequired(quote.paymentRequired(), null), a -> a));

        // then
        assertThat(created.code()).isEqualTo(200);
        assertThat(created.body().get("sandbox_id").asText()).startsWith("sb-");
        assertThat(created.body().get("status").asText()).isEqualTo("running");
        SettleResponse settle = X402Codec.decodeSettle(created.paymentResponse());
        assertThat(settle.success()).isTrue();
        assertThat(settle.payer()).isEqualTo(PAYER.address());
        assertThat(settle.transaction()).matches("0x[0-9a-f]{64}");
        assertThat(emulator.runningSandboxes()).isEqualTo(1);
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("999.99");
    }

    static Stream<Arguments> badPayments() {
        return Stream.of(
                Arguments.of("paid to someone else", (UnaryOperator<Authorization>) a -> new Authorization(a.from(),
                        DevKeys.ACCOUNT_2_ADDRESS, a.value(), a.validAfter(), a.validBefore(), a.nonce()),
                        "invalid_exact_evm_payload_recipient_mismatch"),
                Arguments.of("too little", (UnaryOperator<Authorization>) a -> new Authorization(a.from(), a.to(),
                        a.value().subtract(BigInteger.ONE), a.validAfter(), a.validBefore(), a.nonce()),
                        "invalid_exact_evm_payload_authorization_value"),
                Arguments.of("expired", (UnaryOperator<Authorization>) a -> new Authorization(a.from(), a.to(), a.value(),
                        a.validAfter() - 1000, a.validAfter(), a.nonce()),
                        "invalid_exact_evm_payload_authorization_valid_before"),
                Arguments.of("not yet valid", (UnaryOperator<Authorization>) a -> new Authorization(a.from(), a.to(),
                        a.value(), a.validBefore() - 10, a.validBefore(), a.nonce()),
                        "invalid_exact_evm_payload_authorization_valid_after"),
                Arguments.of("signed for another payer", (UnaryOperator<Authorization>) a -> new Authorization(
                        DevKeys.ACCOUNT_1_ADDRESS, a.to(), a.value(), a.validAfter(), a.validBefore(), a.nonce()),
                        "invalid_exact_evm_payload_signature"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPayments")
    void should_refuse_a_bad_payment_with_its_reason_and_not_serve(String description, UnaryOperator<Authorization> edit,
            String reason) throws IOException {
        // given
        Answer quote = post("create", "{}", null);

        // when
        Answer answer = post("create", "{}", pay(X402Codec.parsePaymentRequired(quote.paymentRequired(), null), edit));

        // then
        assertThat(answer.code()).isEqualTo(402);
        assertThat(answer.body().get("error").asText()).isEqualTo("Payment verification failed");
        assertThat(answer.body().get("details").asText()).isEqualTo(reason);
        assertThat(X402Codec.parsePaymentRequired(answer.paymentRequired(), null).error()).isEqualTo(reason);
        assertThat(emulator.runningSandboxes()).isZero();
        assertThat(emulator.payments()).singleElement().satisfies(payment -> {
            assertThat(payment.settled()).isFalse();
            assertThat(payment.reason()).isEqualTo(reason);
        });
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("1000");
    }

    @Test
    void should_refuse_a_replayed_payment() throws IOException {
        // given a payment that was settled
        Answer quote = post("create", "{}", null);
        String payment = pay(X402Codec.parsePaymentRequired(quote.paymentRequired(), null), a -> a);
        assertThat(post("create", "{}", payment).code()).isEqualTo(200);

        // when it is sent again
        Answer replay = post("create", "{}", payment);

        // then
        assertThat(replay.code()).isEqualTo(402);
        assertThat(replay.body().get("details").asText()).isEqualTo("invalid_transaction_state");
        assertThat(emulator.runningSandboxes()).isEqualTo(1);
    }

    @Test
    void should_refuse_a_payer_without_funds() throws IOException {
        emulator.fund(PAYER.address(), new BigDecimal("0.005"));
        Answer quote = post("create", "{}", null);

        Answer answer = post("create", "{}", pay(X402Codec.parsePaymentRequired(quote.paymentRequired(), null), a -> a));

        assertThat(answer.code()).isEqualTo(402);
        assertThat(answer.body().get("details").asText()).isEqualTo("insufficient_funds");
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("0.005");
    }

    @Test
    void should_not_charge_a_call_that_failed() throws IOException {
        // given an exec for a sandbox that does not exist
        String body = "{\"sandbox_id\":\"sb-missing\",\"command\":[\"true\"]}";
        Answer quote = post("exec", body, null);

        // when
        Answer answer = post("exec", body, pay(X402Codec.parsePaymentRequired(quote.paymentRequired(), null), a -> a));

        // then
        assertThat(answer.code()).isEqualTo(404);
        assertThat(answer.paymentResponse()).isNull();
        assertThat(emulator.payments()).singleElement().satisfies(payment -> {
            assertThat(payment.settled()).isFalse();
            assertThat(payment.reason()).isEqualTo("handler_failed");
        });
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("1000");
    }

    @Test
    void should_answer_invalid_bodies_in_blockruns_shape_before_asking_for_payment() throws IOException {
        assertThat(post("exec", "{\"sandbox_id\":\"sb-1\",\"command\":\"python -c 1\"}", null).body().toString())
                .isEqualTo("{\"error\":\"Invalid request body\",\"details\":[{\"path\":[\"command\"],"
                        + "\"message\":\"Expected array, received string\",\"expected\":\"array\"}]}");
        assertThat(post("status", "{}", null).body().get("details").get(0).get("path").get(0).asText()).isEqualTo("sandbox_id");
        Answer gpu = post("create", "{\"gpu\":\"TPU\"}", null);
        assertThat(gpu.code()).isEqualTo(400);
        assertThat(gpu.body().get("details").get(0).get("message").asText()).startsWith("Invalid enum value. Expected T4, L4");
        assertThat(post("create", "not json", null).code()).isEqualTo(400);
        assertThat(emulator.payments()).isEmpty();
    }

    @Test
    void should_run_paid_commands_in_the_sandbox_it_created() throws IOException {
        // given
        String id = paidCreate();
        String body = "{\"sandbox_id\":\"" + id + "\",\"command\":[\"python3\",\"-c\",\"print(2+2)\"]}";
        Answer quote = post("exec", body, null);

        // when
        Answer answer = post("exec", body, pay(X402Codec.parsePaymentRequired(quote.paymentRequired(), null), a -> a));

        // then
        assertThat(answer.body().toString()).isEqualTo("{\"sandbox_id\":\"" + id + "\",\"stdout\":\"4\\n\",\"stderr\":\"\",\"returncode\":0}");
        assertThat(emulator.requests()).extracting(EmulatorRequest::operation, EmulatorRequest::paid, EmulatorRequest::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("create", false, 402),
                        org.assertj.core.groups.Tuple.tuple("create", true, 200),
                        org.assertj.core.groups.Tuple.tuple("exec", false, 402),
                        org.assertj.core.groups.Tuple.tuple("exec", true, 200));
    }

    @Test
    void should_speak_version_1_when_asked() throws IOException {
        try (BlockRunEmulator v1 = BlockRunEmulator.builder().provider(local).x402Version(1).build().start()) {
            Request request = new Request.Builder().url(v1.baseUrl() + "/v1/modal/sandbox/create")
                    .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
            try (Response response = http.newCall(request).execute()) {
                JsonNode body = JSON.readTree(response.body().string());
                assertThat(response.code()).isEqualTo(402);
                assertThat(response.header("PAYMENT-REQUIRED")).isNull();
                assertThat(body.get("x402Version").asInt()).isEqualTo(1);
                assertThat(body.get("accepts").get(0).get("network").asText()).isEqualTo("base");
                assertThat(body.get("accepts").get(0).get("maxAmountRequired").asText()).isEqualTo("10000");
            }
        }
    }
}
