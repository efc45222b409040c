package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.LedgerEntry;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.Wallet;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Against the live BlockRun, paid for real (about $0.015 a run). Not part of {@code mvn verify}: run
 * it by hand with a funded wallet on Base, {@code BLOCKRUN_LIVE_WALLET_KEY=0x... mvn -pl toolkit
 * -am test -Dtest=BlockRunLiveIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfEnvironmentVariable(named = "BLOCKRUN_LIVE_WALLET_KEY", matches = "0x[0-9a-fA-F]{64}")
class BlockRunLiveIT {

    @Test
    void should_run_python_on_blockrun_and_pay_for_it() {
        try (BlockRunProvider provider = BlockRunProvider.builder()
                .wallet(Wallet.fromHex(System.getenv("BLOCKRUN_LIVE_WALLET_KEY")))
                .policy(PaymentPolicy.builder().maxSessionCost(new BigDecimal("0.05")).build())
                .build();
                Sandbox sandbox = provider.create(SandboxSpec.builder().timeout(Duration.ofMinutes(2)).build())) {
            ExecResult result = sandbox.runCode(Language.PYTHON, "print(sum(range(10)))");

            assertThat(result.stdout()).isEqualTo("45\n");
            assertThat(result.cost()).isPositive();
            assertThat(provider.ledger().entries()).allMatch(entry -> entry.outcome() == LedgerEntry.Outcome.SETTLED);
        }
    }
}
