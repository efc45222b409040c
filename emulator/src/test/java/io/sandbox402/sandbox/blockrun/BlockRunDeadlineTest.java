package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.EmulatorRequest;
import io.sandbox402.emulator.Fault;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.LedgerEntry;
import io.sandbox402.x402.PaymentOutcomeUnknownException;
import io.sandbox402.x402.Wallet;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A slow BlockRun ({@link Fault#delay}) costs the caller its deadline; it never makes a paid call run twice. */
class BlockRunDeadlineTest {
    LocalProvider local;
    BlockRunEmulator emulator;

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

    BlockRunProvider provider(Duration deadline) {
        return BlockRunProvider.builder()
                .apiUrl(emulator.baseUrl())
                .wallet(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY))
                .callTimeout(deadline)
                .shutdownHook(false)
                .build();
    }

    @Test
    void should_sign_nothing_when_the_price_does_not_come_before_the_deadline() {
        try (BlockRunProvider provider = provider(Duration.ofSeconds(1))) {
            // given: a fresh provider asks the create's price first
            emulator.inject("create", Fault.delay(Duration.ofSeconds(4)));

            // when
            assertThatThrownBy(() -> provider.create(SandboxSpec.defaults()))
                    .isInstanceOf(SandboxException.class)
                    .hasMessageContaining("deadline of 1 s");

            // then
            assertThat(provider.ledger().count()).isZero();
            assertThat(emulator.paymentCount()).isZero();
            assertThat(emulator.runningSandboxes()).isZero();
        }
    }

    @Test
    void should_report_an_unknown_outcome_and_not_pay_again_when_a_paid_call_outlives_the_deadline() {
        try (BlockRunProvider provider = provider(Duration.ofSeconds(5))) {
            // given: the exec's price is known, so the next exec is paid with its first request
            Sandbox sandbox = provider.create(SandboxSpec.defaults());
            sandbox.exec("true");
            long settledBefore = emulator.settledPaymentCount();
            emulator.inject("exec", Fault.delay(Duration.ofSeconds(10)));

            // when
            assertThatThrownBy(() -> sandbox.exec("true")).isInstanceOf(PaymentOutcomeUnknownException.class);

            // then: the server finishes the call it was paid for, once; the client sent it once
            awaitSettled(settledBefore + 1);
            assertThat(emulator.requests()).filteredOn(EmulatorRequest::paid)
                    .filteredOn(request -> request.operation().equals("exec")).hasSize(2);
            assertThat(provider.ledger().entries().get(provider.ledger().count() - 1).outcome())
                    .isEqualTo(LedgerEntry.Outcome.UNKNOWN);
            sandbox.terminate();
        }
    }

    void awaitSettled(long count) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (emulator.settledPaymentCount() < count) {
            assertThat(Instant.now()).as("the delayed exec settles").isBefore(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
