package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.EmulatorRequest;
import io.sandbox402.emulator.Fault;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Gpu;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxLimitException;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.LedgerEntry;
import io.sandbox402.x402.PaymentOutcomeUnknownException;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.PaymentRefusedException;
import io.sandbox402.x402.PaymentRejectedException;
import io.sandbox402.x402.Wallet;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlockRunProviderTest {
    LocalProvider local;
    BlockRunEmulator emulator;
    BlockRunProvider provider;

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local).build().start();
        provider = provider(PaymentPolicy.defaults());
    }

    BlockRunProvider provider(PaymentPolicy policy) {
        return BlockRunProvider.builder()
                .apiUrl(emulator.baseUrl())
                .wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY))
                .policy(policy)
                .shutdownHook(false)
                .maxRetryWait(Duration.ofMillis(100))
                .build();
    }

    @AfterEach
    void stop() {
        provider.close();
        emulator.close();
        local.close();
    }

    long paidRequests(String operation) {
        return emulator.requests().stream().filter(r -> r.operation().equals(operation) && r.paid()).count();
    }

    @Test
    void should_pay_each_call_and_report_its_cost() {
        // when
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        ExecResult result = sandbox.runCode(Language.PYTHON, "print(40 + 2)");
        sandbox.status();
        sandbox.terminate();

        // then
        assertThat(result.stdout()).isEqualTo("42\n");
        assertThat(result.cost()).isEqualByComparingTo("0.002");
        assertThat(provider.ledger().entries()).extracting(LedgerEntry::outcome).containsOnly(LedgerEntry.Outcome.SETTLED);
        assertThat(provider.ledger().totalSettled()).isEqualByComparingTo("0.017");
        assertThat(emulator.balanceOf(DevKeys.ACCOUNT_0_ADDRESS)).isEqualByComparingTo("999.983");
        assertThat(emulator.runningSandboxes()).isZero();
    }

    @Test
    void should_pay_with_the_first_request_once_the_price_is_known() {
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        sandbox.exec("true");
        int before = emulator.requests().size();

        sandbox.exec("true");

        assertThat(emulator.requests().subList(before, emulator.requests().size()))
                .extracting(EmulatorRequest::operation, EmulatorRequest::paid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("exec", true));
    }

    @Test
    void should_refuse_a_gpu_above_the_per_call_cap_before_signing() {
        assertThatThrownBy(() -> provider.create(SandboxSpec.builder().gpu(Gpu.H100).build()))
                .isInstanceOf(PaymentRefusedException.class)
                .hasMessage("Payment refused for POST " + emulator.baseUrl() + "/v1/modal/sandbox/create: the server asks"
                        + " $0.401 (401000 USDC units), above the per-call cap of $0.05. Raise it with"
                        + " --max-cost-per-call or BLOCKRUN_MAX_COST_PER_CALL.");
        assertThat(provider.ledger().entries()).isEmpty();
        assertThat(emulator.payments()).isEmpty();
    }

    @Test
    void should_create_a_gpu_sandbox_when_the_cap_allows() {
        try (BlockRunProvider gpu = provider(PaymentPolicy.builder().maxCostPerCall(new BigDecimal("0.50")).build())) {
            gpu.create(SandboxSpec.builder().gpu(Gpu.T4).build());

            assertThat(gpu.ledger().totalSettled()).isEqualByComparingTo("0.051");
        }
        assertThat(emulator.runningSandboxes()).isZero();
    }

    @Test
    void should_quote_for_free() {
        BlockRunQuote quote = provider.quote("create", Map.of("gpu", "A100"));

        assertThat(quote.amount()).isEqualTo(BigInteger.valueOf(201_000));
        assertThat(quote.usd()).isEqualByComparingTo("0.201");
        assertThat(emulator.payments()).isEmpty();
        assertThat(provider.ledger().entries()).isEmpty();
    }

    @Test
    void should_refuse_an_exec_timeout_above_the_limit_before_paying() {
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        int before = emulator.requests().size();

        assertThatThrownBy(() -> sandbox.exec(new ExecRequest(List.of("sleep", "1"), Duration.ofSeconds(120))))
                .isInstanceOf(SandboxLimitException.class)
                .hasMessage("The exec timeout of 120 s is above the provider's limit of 60 s per exec; nothing was sent or"
                        + " paid. Run longer work in the background with Sandbox.start(..) or Sandbox.run(..), which poll it"
                        + " with short execs.");
        assertThat(emulator.requests()).hasSize(before);
    }

    @Test
    void should_refuse_a_spec_beyond_the_terms_before_paying() {
        assertThatThrownBy(() -> provider.create(SandboxSpec.builder().image("ubuntu:24.04").build()))
                .isInstanceOf(SandboxLimitException.class)
                .hasMessage("BlockRun cannot create this sandbox: the image ubuntu:24.04 is not offered; BlockRun offers"
                        + " python:3.11. Nothing was sent or paid.");
        assertThatThrownBy(() -> provider.create(SandboxSpec.builder().cpu(2.0).build()))
                .isInstanceOf(SandboxLimitException.class)
                .hasMessage("BlockRun cannot create this sandbox: 2.0 CPUs is above the limit of 1.0 without a GPU (up to 8.0"
                        + " with one). Nothing was sent or paid.");
        assertThatThrownBy(() -> provider.create(SandboxSpec.builder().memoryMb(2048).build()))
                .isInstanceOf(SandboxLimitException.class)
                .hasMessageContaining("2048 MB of memory is above the limit of 1024 MB without a GPU");
        assertThatThrownBy(() -> provider.create(SandboxSpec.builder().timeout(Duration.ofSeconds(5)).build()))
                .isInstanceOf(SandboxLimitException.class)
                .hasMessageContaining("a lifetime (timeout) of 5.0 s is outside 10 to 86400 whole seconds");
        assertThatThrownBy(() -> provider.create(SandboxSpec.builder().extra("region", "eu").build()))
                .isInstanceOf(SandboxLimitException.class)
                .hasMessageContaining("the field 'region' is not part of BlockRun's create request");
        assertThat(emulator.requests()).isEmpty();
    }

    @Test
    void should_refuse_an_hourly_create_with_its_quoted_price_unless_allowed() {
        assertThatThrownBy(() -> provider.create(SandboxSpec.builder().timeout(Duration.ofHours(1)).build()))
                .isInstanceOf(SandboxLimitException.class)
                .hasMessageStartingWith("A lifetime of 3600 s is above 300 s, so BlockRun bills the create by the hour, upfront"
                        + " for the whole lifetime and without refund on an early terminate: BlockRun quotes $")
                .hasMessageEndingWith(" for it. Nothing was paid. Ask for at most 300 s, or allow it with"
                        + " BlockRunProvider.builder().allowHourlyCreate(true).");
        assertThat(emulator.payments()).isEmpty();
    }

    @Test
    void should_explain_a_403() {
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        emulator.inject("exec", Fault.errorBeforeSettle(403));

        assertThatThrownBy(() -> sandbox.exec("true"))
                .isInstanceOf(BlockRunException.class)
                .hasMessage("BlockRun refused the exec request (403 Injected failure before settlement): its content"
                        + " policy blocked it. Nothing was charged. Change the code or command.");
        assertThat(provider.ledger().entries().get(provider.ledger().count() - 1).outcome())
                .isEqualTo(LedgerEntry.Outcome.UNUSED);
    }

    @Test
    void should_say_when_a_sandbox_is_gone() {
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        emulator.inject("status", Fault.errorBeforeSettle(404));

        assertThatThrownBy(sandbox::status)
                .isInstanceOf(SandboxNotFoundException.class)
                .hasMessage("Sandbox " + sandbox.id() + " is not known to BlockRun (404 Injected failure before settlement):"
                        + " it was terminated, timed out or never existed. Nothing was charged. Create a new sandbox.");
    }

    @Test
    void should_retry_a_rate_limited_status() {
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        emulator.inject("status", Fault.tooManyRequests(0));
        emulator.inject("status", Fault.tooManyRequests(0));

        assertThat(sandbox.status().isRunning()).isTrue();
        assertThat(emulator.requests().stream().filter(r -> r.status() == 429).count()).isEqualTo(2);
    }

    @Test
    void should_not_retry_a_rate_limited_exec() {
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        emulator.inject("exec", Fault.tooManyRequests(7));

        assertThatThrownBy(() -> sandbox.exec("true"))
                .isInstanceOf(BlockRunException.class)
                .hasMessage("BlockRun is rate limiting exec (429, Retry-After 7 s); a paid exec is not retried"
                        + " automatically. Nothing was charged. Slow down and try again later.");
        assertThat(emulator.requests().stream().filter(r -> r.operation().equals("exec")).count()).isEqualTo(1);
    }

    @Test
    void should_say_a_504_was_not_charged() {
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        emulator.inject("exec", Fault.errorBeforeSettle(504));

        assertThatThrownBy(() -> sandbox.exec("true"))
                .isInstanceOf(BlockRunException.class)
                .hasMessage("BlockRun's upstream timed out on exec (504 Injected failure before settlement); the call was"
                        + " not charged. Try again, perhaps with a shorter command or timeout.")
                .extracting(e -> ((BlockRunException) e).status()).isEqualTo(504);
    }

    @Test
    void should_surface_a_rejected_payment() {
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        emulator.inject("exec", Fault.rejectPayment("insufficient_funds"));

        assertThatThrownBy(() -> sandbox.exec("true"))
                .isInstanceOf(BlockRunPaymentException.class)
                .hasMessageStartingWith("BlockRun refused the payment for exec (402 PAYMENT_UNFUNDED: ")
                .hasMessageEndingWith("The exec did not run and this payment was not charged; nothing more was signed.")
                .hasCauseInstanceOf(PaymentRejectedException.class);
        assertThat(provider.ledger().entries().get(provider.ledger().count() - 1).outcome())
                .isEqualTo(LedgerEntry.Outcome.REJECTED);
    }

    @Test
    void should_report_an_unknown_outcome_when_the_connection_drops_after_settling() {
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        sandbox.exec("true");
        emulator.inject("exec", Fault.dropConnectionAfterSettle());
        int paidBefore = (int) paidRequests("exec");

        assertThatThrownBy(() -> sandbox.exec("true")).isInstanceOf(PaymentOutcomeUnknownException.class);

        assertThat(provider.ledger().entries().get(provider.ledger().count() - 1).outcome())
                .isEqualTo(LedgerEntry.Outcome.UNKNOWN);
        assertThat(paidRequests("exec")).isEqualTo(paidBefore + 1);
        assertThat(emulator.payments().stream().filter(p -> p.operation().equals("exec")).count()).isEqualTo(paidBefore + 1);
    }

    @Test
    void should_terminate_leftover_sandboxes_on_close() {
        provider.create(SandboxSpec.defaults());
        provider.create(SandboxSpec.defaults());
        assertThat(emulator.runningSandboxes()).isEqualTo(2);

        provider.close();

        assertThat(emulator.runningSandboxes()).isZero();
        assertThat(provider.runningSandboxes()).isZero();
    }

    @Test
    void should_release_its_connections_and_threads_when_closed() {
        // given: five providers that each made calls, as a harness does
        List<BlockRunProvider> providers = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            BlockRunProvider one = provider(PaymentPolicy.defaults());
            one.create(SandboxSpec.defaults()).exec("true");
            providers.add(one);
        }
        assertThat(providers).allSatisfy(one -> assertThat(one.openConnections()).isPositive());

        // when
        providers.forEach(BlockRunProvider::close);

        // then
        assertThat(providers).allSatisfy(one -> assertThat(one.openConnections()).isZero());
        assertThat(emulator.runningSandboxes()).isZero();
    }

    @Test
    void should_say_when_blockrun_cannot_be_reached() {
        try (BlockRunProvider nowhere = BlockRunProvider.builder().apiUrl("http://127.0.0.1:1/api")
                .wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY)).shutdownHook(false).build()) {
            assertThatThrownBy(() -> nowhere.create(SandboxSpec.defaults()))
                    .isInstanceOf(BlockRunException.class)
                    .hasMessageStartingWith("Cannot reach BlockRun at http://127.0.0.1:1/api/v1/modal/sandbox/create: ");
        }
    }

    @Test
    void should_describe_itself_without_the_key() {
        assertThat(provider.description()).isEqualTo("blockrun: " + emulator.baseUrl() + ", paying from "
                + DevKeys.ACCOUNT_0_ADDRESS + " (at most $0.05 a call, $1.00 a session)");
        assertThat(provider.toString() + provider.description()).doesNotContain(BlockRunEmulator.DEVELOPMENT_KEY.substring(2));
    }
}
