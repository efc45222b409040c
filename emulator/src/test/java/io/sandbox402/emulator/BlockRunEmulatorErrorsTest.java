package io.sandbox402.emulator;

import static io.sandbox402.emulator.EmulatorHttp.PAYER;
import static io.sandbox402.emulator.EmulatorHttp.pay;
import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.emulator.EmulatorHttp.Answer;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.internal.PaymentPayload;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each of BlockRun's error answers, as the emulator gives them; none is charged. */
class BlockRunEmulatorErrorsTest {
    static final String AVAILABLE = "[\"POST /api/v1/modal/sandbox/create\",\"POST /api/v1/modal/sandbox/exec\","
            + "\"POST /api/v1/modal/sandbox/status\",\"POST /api/v1/modal/sandbox/terminate\"]";

    LocalProvider local;
    BlockRunEmulator emulator;
    EmulatorHttp http;

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        emulator = BlockRunEmulator.builder().provider(local).build().start();
        http = new EmulatorHttp(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
        local.close();
    }

    @Test
    void should_list_the_endpoints_in_a_402_when_a_modal_path_is_fetched_with_get() {
        Answer answer = http.send("GET", "/v1/modal/sandbox/create", null, null);

        assertThat(answer.code()).isEqualTo(402);
        assertThat(answer.body().get("available").toString()).isEqualTo(AVAILABLE);
        assertThat(http.send("GET", "/v1/modal/anything", null, null).code()).isEqualTo(402);
    }

    @Test
    void should_list_the_endpoints_in_a_404_for_an_unknown_one() {
        Answer answer = http.post("fork", "{}", null);

        assertThat(answer.code()).isEqualTo(404);
        assertThat(answer.body().get("message").asText()).isEqualTo("Unknown endpoint POST /api/v1/modal/sandbox/fork");
        assertThat(answer.body().get("available").toString()).isEqualTo(AVAILABLE);
    }

    @Test
    void should_answer_503_while_paused() {
        // given
        emulator.pause(true);

        // when
        Answer paused = http.post("status", "{\"sandbox_id\":\"sb-x\"}", null);

        // then
        assertThat(paused.code()).isEqualTo(503);
        assertThat(paused.body().get("message").asText())
                .isEqualTo("The Modal sandbox integration is paused. Try again later; nothing was charged.");
        emulator.pause(false);
        assertThat(http.post("status", "{\"sandbox_id\":\"sb-x\"}", null).code()).isEqualTo(402);
    }

    @Test
    void should_code_a_stale_blockhash() {
        emulator.inject("status", Fault.rejectPayment("blockhash_stale"));

        Answer answer = http.paid("status", "{\"sandbox_id\":\"sb-x\"}");

        assertThat(answer.body().get("code").asText()).isEqualTo("PAYMENT_BLOCKHASH_STALE");
    }

    @Test
    void should_refuse_a_high_s_signature_as_usdc_would() {
        // given a good payment turned into its high-s twin, which recovers the same key
        PaymentPayload good = X402Server.decodePayment(pay(http.quote("status", "{\"sandbox_id\":\"sb-x\"}")));
        PaymentPayload twin = new PaymentPayload(good.x402Version(), good.scheme(), good.network(), good.resource(),
                good.accepted(), PaymentVerifierTest.highS(good.signature()), good.authorization(), good.extensions());

        // when
        Answer answer = http.post("status", "{\"sandbox_id\":\"sb-x\"}", X402Codec.encodePayment(twin));

        // then
        assertThat(answer.code()).isEqualTo(402);
        assertThat(answer.body().get("code").asText()).isEqualTo("PAYMENT_INVALID");
        assertThat(answer.body().get("details").asText()).isEqualTo("invalid_exact_evm_payload_signature");
    }

    @Test
    void should_terminate_a_created_sandbox_whose_payment_did_not_settle() {
        // given
        Prerequisites.require(local.isAvailable(), local.description());
        emulator.inject("create", Fault.settlementFails("transaction_reverted"));

        // when
        Answer answer = http.paid("create", "{}");

        // then
        assertThat(answer.code()).isEqualTo(402);
        assertThat(answer.body().toString()).isEqualTo("{\"error\":\"Payment settlement failed\",\"details\":"
                + "\"transaction_reverted\",\"message\":\"The call ran but the payment did not settle; nothing was charged.\"}");
        assertThat(emulator.runningSandboxes()).isZero();
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("1000");
    }

    @Test
    void should_answer_502_not_charged_when_the_sandbox_service_fails() {
        try (BlockRunEmulator failing = BlockRunEmulator.builder().provider(new NoCapacity()).build().start()) {
            Answer answer = new EmulatorHttp(failing).paid("create", "{}");

            assertThat(answer.code()).isEqualTo(502);
            assertThat(answer.body().get("message").asText())
                    .isEqualTo("Sandbox creation failed: no capacity. Payment was NOT charged.");
            assertThat(failing.balanceOf(PAYER.address())).isEqualByComparingTo("1000");
            assertThat(failing.settledPaymentCount()).isZero();
        }
    }

    @Test
    void should_refuse_a_body_over_the_limit_without_reading_it_and_keep_answering() throws Exception {
        // given a 2 MiB body, announced by its Content-Length
        int size = 2 << 20;

        // when
        String statusLine;
        try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/modal/sandbox/exec HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < size; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException expected) {
                    // the emulator closes the connection without reading the rest
                }
            });
            writer.start();
            statusLine = readLine(socket.getInputStream());
            writer.join(10_000);
        }

        // then
        assertThat(statusLine).startsWith("HTTP/1.1 413 ");
        assertThat(emulator.requests()).extracting(EmulatorRequest::status).containsExactly(413);
        assertThat(http.post("status", "{\"sandbox_id\":\"sb-x\"}", null).code()).isEqualTo(402);
    }

    @Test
    void should_refuse_a_chunked_body_over_the_limit() throws IOException {
        // given a body of unknown length (chunked): 2 MiB
        RequestBody chunked = new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("application/json");
            }

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8("{\"sandbox_id\":\"sb-x\",\"command\":[\"" + "a".repeat(2 << 20) + "\"]}");
            }
        };
        Request request = new Request.Builder().url(emulator.baseUrl() + "/v1/modal/sandbox/exec").post(chunked).build();

        // when
        try (Response response = new OkHttpClient().newCall(request).execute()) {
            // then
            assertThat(response.code()).isEqualTo(413);
            assertThat(EmulatorHttp.JSON.readTree(response.body().string()).get("message").asText())
                    .isEqualTo("Request bodies are limited to 1048576 bytes.");
        } catch (IOException e) {
            // the client may see the connection closed while still sending: then the log says what was answered
            assertThat(emulator.requests()).extracting(EmulatorRequest::status).containsExactly(413);
        }
        assertThat(http.post("status", "{\"sandbox_id\":\"sb-x\"}", null).code()).isEqualTo(402);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** A sandbox service that is out of capacity. */
    static final class NoCapacity implements SandboxProvider {
        @Override
        public Sandbox create(SandboxSpec spec) {
            throw new SandboxException("no capacity");
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String description() {
            return "no capacity";
        }

        @Override
        public void close() {}
    }
}
