package io.sandbox402.x402;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.testing.DevKeys;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class SessionCapConcurrencyTest {

    @Test
    void should_never_overshoot_the_session_cap_when_calls_race() throws Exception {
        // given a server that quotes $0.001 and serves whatever is paid, and a session cap of $0.005
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return request.getHeaders().get("PAYMENT-SIGNATURE") == null
                            ? Quotes.v2(request.getUrl().toString(), "1000")
                            : Quotes.ok("PAYMENT-RESPONSE", "0x" + "1".repeat(64));
                }
            });
            server.start();
            SpendLedger ledger = new SpendLedger();
            okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
            dispatcher.setMaxRequestsPerHost(32);
            OkHttpClient client = new OkHttpClient.Builder()
                    .dispatcher(dispatcher)
                    .addInterceptor(X402Interceptor.builder()
                            .wallet(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY))
                            .ledger(ledger)
                            .policy(PaymentPolicy.builder().maxSessionCost(new BigDecimal("0.005")).build())
                            .build())
                    .build();

            // when 20 calls race
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Callable<Boolean> call = () -> {
                    try (Response response = client.newCall(new Request.Builder().url(server.url("/paid")).build()).execute()) {
                        return response.isSuccessful();
                    } catch (PaymentIOException e) {
                        assertThat(e.getCause()).isInstanceOf(PaymentRefusedException.class);
                        return false;
                    }
                };
                results.add(pool.submit(call));
            }
            int served = 0;
            for (Future<Boolean> result : results) {
                served += result.get() ? 1 : 0;
            }
            pool.shutdown();

            // then
            assertThat(served).isEqualTo(5);
            assertThat(ledger.totalCommitted()).isEqualByComparingTo("0.005");
            assertThat(ledger.entries()).allMatch(entry -> entry.outcome() == LedgerEntry.Outcome.SETTLED);
        }
    }
}
