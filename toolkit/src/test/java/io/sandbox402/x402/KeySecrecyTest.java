package io.sandbox402.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.testing.DevKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The wallet key, signatures and payment headers never reach logs, messages or {@code toString}. */
class KeySecrecyTest {
    static final String KEY_HEX = DevKeys.ACCOUNT_0_KEY.substring(2).toLowerCase();

    /** Collects every log record, formatted, at every level. */
    static final class LogRecorder extends Handler {
        final List<String> lines = new ArrayList<>();
        final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public synchronized void publish(LogRecord record) {
            lines.add(formatter.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void should_keep_key_signature_and_header_out_of_logs_and_messages() throws IOException, InterruptedException {
        // given every logger at every level recorded
        Logger root = Logger.getLogger("");
        Level previous = root.getLevel();
        LogRecorder recorder = new LogRecorder();
        recorder.setLevel(Level.ALL);
        root.addHandler(recorder);
        root.setLevel(Level.ALL);
        Logger.getLogger(X402Interceptor.class.getName()).setLevel(Level.ALL);
        List<String> texts = new ArrayList<>();
        String header;
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            String url = server.url("/paid").toString();
            server.enqueue(Quotes.v2(url, "1000"));
            server.enqueue(Quotes.ok("PAYMENT-RESPONSE", "0x" + "1".repeat(64)));
            server.enqueue(Quotes.v2(url, "1000"));
            server.enqueue(new mockwebserver3.MockResponse.Builder().code(402).body("{\"error\":\"no\"}").build());
            X402Interceptor interceptor = X402Interceptor.builder().wallet(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY))
                    .prepayment(false).build();
            OkHttpClient client = new OkHttpClient.Builder().addInterceptor(interceptor).build();

            // when a payment succeeds and another is rejected
            try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
                texts.add(response.toString());
            }
            server.takeRequest();
            RecordedRequest paid = server.takeRequest();
            header = paid.getHeaders().get("PAYMENT-SIGNATURE");
            assertThatThrownBy(() -> client.newCall(new Request.Builder().url(url).build()).execute())
                    .satisfies(e -> {
                        texts.add(e.toString());
                        texts.add(String.valueOf(e.getCause()));
                    });
            texts.add(interceptor.ledger().toString());
            texts.add(interceptor.ledger().entries().toString());
            texts.add(interceptor.policy().toString());
            texts.add(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY).toString());
            texts.add(Quotes.decodePayment(header).toString());
        } finally {
            root.removeHandler(recorder);
            root.setLevel(previous);
        }

        // then
        String signature = Quotes.decodePayment(header).signature().substring(2);
        texts.addAll(recorder.lines);
        assertThat(recorder.lines).isNotEmpty(); // the interceptor logged its payments, so the check has teeth
        for (String text : texts) {
            assertThat(text.toLowerCase()).doesNotContain(KEY_HEX).doesNotContain(signature).doesNotContain(header.toLowerCase());
        }
    }
}
