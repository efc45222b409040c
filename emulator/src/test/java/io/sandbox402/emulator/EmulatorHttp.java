package io.sandbox402.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.Wallet;
import io.sandbox402.x402.internal.Authorization;
import io.sandbox402.x402.internal.Eip3009Signer;
import io.sandbox402.x402.internal.Eip712Domain;
import io.sandbox402.x402.internal.PaymentPayload;
import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.PaymentRequirements;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A hand-made x402 client for the emulator's tests: plain HTTP, payments signed with a development key. */
final class EmulatorHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Wallet PAYER = Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlockRunEmulator emulator;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(120)).build();

    EmulatorHttp(BlockRunEmulator emulator) {
        this.emulator = emulator;
    }

    record Answer(int code, JsonNode body, Headers headers) {
        String header(String name) {
            return headers.get(name);
        }

        PaymentRequired required() {
            return X402Codec.parsePaymentRequired(header("PAYMENT-REQUIRED"), null);
        }

        /** The first issue's path of a 400, as a string: {@code [command, 3]}. */
        String path() {
            return body.get("details").get(0).get("path").toString();
        }
    }

    Answer post(String operation, String body, String payment) {
        return send("POST", "/v1/modal/sandbox/" + operation, body, payment);
    }

    Answer send(String method, String path, String body, String payment) {
        Request.Builder request = new Request.Builder().url(emulator.baseUrl() + path)
                .method(method, body == null ? null : RequestBody.create(body, MediaType.get("application/json")));
        if (payment != null) {
            request.header("PAYMENT-SIGNATURE", payment);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body().string();
            return new Answer(response.code(), text.isEmpty() ? null : JSON.readTree(text), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 402's requirements for {@code body}. */
    PaymentRequired quote(String operation, String body) {
        Answer answer = post(operation, body, null);
        assertThat(answer.code()).as("quote for %s %s: %s", operation, body, answer.body()).isEqualTo(402);
        return answer.required();
    }

    /** A fresh payment (random nonce) for {@code required}. */
    static String pay(PaymentRequired required) {
        return pay(required, a -> a);
    }

    /** A payment for {@code required}, changed by {@code edit} before it is signed. */
    static String pay(PaymentRequired required, UnaryOperator<Authorization> edit) {
        PaymentRequirements accepted = required.accepts().get(0);
        long now = Instant.now().getEpochSecond();
        Authorization authorization = edit.apply(new Authorization(PAYER.address(), accepted.payTo(), accepted.amount(),
                now - 600, now + 300, String.format("0x%064x", new BigInteger(250, RANDOM))));
        String signature = new Eip3009Signer(PAYER).sign(Eip712Domain.usdc(Network.BASE), authorization);
        return X402Codec.encodePayment(new PaymentPayload(2, "exact", accepted.network(), required.resource(),
                accepted.raw(), signature, authorization, required.extensions()));
    }

    /** Quotes, pays and sends {@code body}: the paid answer. */
    Answer paid(String operation, String body) {
        return post(operation, body, pay(quote(operation, body)));
    }

    /** A paid create of {@code body}; its sandbox id. */
    String create(String body) {
        Answer created = paid("create", body);
        assertThat(created.code()).as("create: %s", created.body()).isEqualTo(200);
        return created.body().get("sandbox_id").asText();
    }

    /** A paid exec of {@code argv} in {@code id}. */
    Answer exec(String id, String... argv) {
        return paid("exec", execBody(id, argv));
    }

    static String execBody(String id, String... argv) {
        var body = JSON.createObjectNode().put("sandbox_id", id);
        for (String arg : argv) {
            body.withArray("command").add(arg);
        }
        return body.toString();
    }
}
