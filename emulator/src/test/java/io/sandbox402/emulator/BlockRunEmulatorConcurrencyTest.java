package io.sandbox402.emulator;

import static io.sandbox402.emulator.EmulatorHttp.PAYER;
import static io.sandbox402.emulator.EmulatorHttp.execBody;
import static io.sandbox402.emulator.EmulatorHttp.pay;
import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.emulator.EmulatorHttp.Answer;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.internal.PaymentRequired;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Paid once, runs once (issue 9): concurrent requests sharing one payment, or one balance, run the call
 * exactly as many times as they paid for. Before the fix the emulator verified, ran, then settled, so
 * twenty copies of one header ran the command twenty times.
 */
class BlockRunEmulatorConcurrencyTest {
    /** Appends a line to a file in the sandbox, slowly enough for the copies to overlap: each line is one run. */
    static final String[] COUNTED = {"sh", "-c", "echo run >> runs.txt; sleep 0.5"};

    LocalProvider local;
    BlockRunEmulator emulator;
    EmulatorHttp http;
    ExecutorService pool = Executors.newFixedThreadPool(20);

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local).build().start();
        http = new EmulatorHttp(emulator);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        emulator.close();
        local.close();
    }

    /** Sends {@code count} requests at once, the i-th made by {@code request}; the answers. */
    List<Answer> atOnce(int count, IntFunction<Answer> request) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit((Callable<Answer>) () -> {
                go.await();
                return request.apply(index);
            }));
        }
        go.countDown();
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> future : futures) {
            answers.add(future.get());
        }
        return answers;
    }

    static Map<String, Long> outcomes(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(
                a -> a.code() == 200 ? "200" : a.code() + " " + a.body().path("code").asText(), Collectors.counting()));
    }

    int runs(String id) {
        Answer count = http.exec(id, "sh", "-c", "wc -l < runs.txt");
        return Integer.parseInt(count.body().get("stdout").asText().trim());
    }

    @Test
    void should_run_a_command_once_when_one_payment_is_sent_twenty_times_at_once() throws Exception {
        // given
        String id = http.create("{}");
        String body = execBody(id, COUNTED);
        String payment = pay(http.quote("exec", body));
        long settledBefore = emulator.settledPaymentCount();

        // when
        List<Answer> answers = atOnce(20, i -> http.post("exec", body, payment));

        // then
        assertThat(outcomes(answers)).containsExactlyInAnyOrderEntriesOf(Map.of("200", 1L, "402 PAYMENT_REPLAY", 19L));
        assertThat(emulator.settledPaymentCount() - settledBefore).isEqualTo(1);
        assertThat(runs(id)).isEqualTo(1);
    }

    @Test
    void should_create_one_sandbox_when_one_payment_is_sent_ten_times_at_once() throws Exception {
        // given
        String payment = pay(http.quote("create", "{}"));

        // when
        List<Answer> answers = atOnce(10, i -> http.post("create", "{}", payment));

        // then
        assertThat(outcomes(answers)).containsExactlyInAnyOrderEntriesOf(Map.of("200", 1L, "402 PAYMENT_REPLAY", 9L));
        assertThat(emulator.runningSandboxes()).isEqualTo(1);
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("999.989");
    }

    @Test
    void should_run_once_when_ten_calls_at_once_share_a_balance_that_covers_one() throws Exception {
        // given ten distinct payments and $0.002 left: one exec's worth
        String id = http.create("{}");
        String body = execBody(id, COUNTED);
        PaymentRequired quote = http.quote("exec", body);
        List<String> payments = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            payments.add(pay(quote));
        }
        emulator.fund(PAYER.address(), new BigDecimal("0.002"));

        // when
        List<Answer> answers = atOnce(10, i -> http.post("exec", body, payments.get(i)));

        // then
        assertThat(outcomes(answers)).containsExactlyInAnyOrderEntriesOf(Map.of("200", 1L, "402 PAYMENT_UNFUNDED", 9L));
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("0");
        emulator.fund(PAYER.address(), new BigDecimal("1"));
        assertThat(runs(id)).isEqualTo(1);
    }

    @Test
    void should_let_a_payment_be_used_again_after_its_call_failed() {
        // given a paid exec that failed (no such sandbox): not charged, its authorization never submitted
        String body = execBody("sb-missing", "true");
        String payment = pay(http.quote("exec", body));
        assertThat(http.post("exec", body, payment).code()).isEqualTo(404);

        String id = http.create("{}");

        // when the same authorization pays for a call that works
        Answer answer = http.post("exec", execBody(id, "true"), payment);

        // then
        assertThat(answer.code()).isEqualTo(200);
        assertThat(emulator.balanceOf(PAYER.address())).isEqualByComparingTo("999.987");
    }
}
