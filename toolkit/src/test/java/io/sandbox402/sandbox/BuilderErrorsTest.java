package io.sandbox402.sandbox;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.tools.SandboxSessions;
import io.sandbox402.x402.Wallet;
import java.time.Duration;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every builder of the sandbox and tools packages names the option it refuses, and never fails with an NPE. */
class BuilderErrorsTest {

    static Stream<Arguments> badOptions() {
        Wallet wallet = Wallet.fromHex(DevKeys.ACCOUNT_1_KEY);
        return Stream.of(
                // BlockRunProvider
                bad("BlockRunProvider without wallet", () -> BlockRunProvider.builder().shutdownHook(false).build(),
                        IllegalStateException.class, "BlockRunProvider needs a wallet: call wallet(..), or build it with"
                                + " BlockRunProvider.fromEnvironment() to pay from BLOCKRUN_WALLET_KEY."),
                bad("BlockRunProvider wallet null", () -> BlockRunProvider.builder().wallet(null),
                        IllegalArgumentException.class, "wallet == null"),
                bad("BlockRunProvider policy null", () -> BlockRunProvider.builder().policy(null),
                        IllegalArgumentException.class, "policy == null"),
                bad("BlockRunProvider ledger null", () -> BlockRunProvider.builder().ledger(null),
                        IllegalArgumentException.class, "ledger == null"),
                bad("BlockRunProvider apiUrl blank", () -> BlockRunProvider.builder().apiUrl(" "),
                        IllegalArgumentException.class, "apiUrl cannot be null or blank"),
                bad("BlockRunProvider client null", () -> BlockRunProvider.builder().client(null),
                        IllegalArgumentException.class, "client == null"),
                bad("BlockRunProvider maxResponseBytes small", () -> BlockRunProvider.builder().maxResponseBytes(10),
                        IllegalArgumentException.class, "maxResponseBytes must be at least 1024, was 10"),
                bad("BlockRunProvider callTimeout zero", () -> BlockRunProvider.builder().callTimeout(Duration.ZERO),
                        IllegalArgumentException.class, "callTimeout must be positive, was PT0S"),
                bad("BlockRunProvider callTimeout null", () -> BlockRunProvider.builder().callTimeout(null),
                        IllegalArgumentException.class, "callTimeout == null"),
                bad("BlockRunProvider setupCommandTimeout negative",
                        () -> BlockRunProvider.builder().setupCommandTimeout(Duration.ofSeconds(-1)),
                        IllegalArgumentException.class, "setupCommandTimeout must be positive, was PT-1S"),
                bad("BlockRunProvider maxRetries negative", () -> BlockRunProvider.builder().maxRetries(-1),
                        IllegalArgumentException.class, "maxRetries cannot be negative, was -1"),
                bad("BlockRunProvider maxRetryWait negative", () -> BlockRunProvider.builder().maxRetryWait(Duration.ofMillis(-5)),
                        IllegalArgumentException.class, "maxRetryWait cannot be negative, was PT-0.005S"),
                bad("BlockRunProvider limits null", () -> BlockRunProvider.builder().wallet(wallet).limits(null),
                        IllegalArgumentException.class, "limits == null"),
                bad("BlockRunProvider terms null", () -> BlockRunProvider.builder().terms(null),
                        IllegalArgumentException.class, "terms == null"),
                // LocalProvider
                bad("LocalProvider maxOutputBytes zero", () -> LocalProvider.builder().maxOutputBytes(0),
                        IllegalArgumentException.class, "maxOutputBytes must be positive, was 0"),
                bad("LocalProvider defaultExecTimeout zero", () -> LocalProvider.builder().defaultExecTimeout(Duration.ZERO),
                        IllegalArgumentException.class, "defaultExecTimeout must be positive, was PT0S"),
                bad("LocalProvider defaultExecTimeout null", () -> LocalProvider.builder().defaultExecTimeout(null),
                        IllegalArgumentException.class, "defaultExecTimeout == null"),
                bad("LocalProvider addressSpaceBytes zero", () -> LocalProvider.builder().addressSpaceBytes(0),
                        IllegalArgumentException.class, "addressSpaceBytes must be positive, was 0"),
                bad("LocalProvider cpuSeconds negative", () -> LocalProvider.builder().cpuSeconds(-3),
                        IllegalArgumentException.class, "cpuSeconds must be positive, was -3"),
                bad("LocalProvider maxFileSizeBytes zero", () -> LocalProvider.builder().maxFileSizeBytes(0),
                        IllegalArgumentException.class, "maxFileSizeBytes must be positive, was 0"),
                bad("LocalProvider maxOpenFiles zero", () -> LocalProvider.builder().maxOpenFiles(0),
                        IllegalArgumentException.class, "maxOpenFiles must be positive, was 0"),
                bad("LocalProvider maxPids zero", () -> LocalProvider.builder().maxPids(0),
                        IllegalArgumentException.class, "maxPids must be positive, was 0"),
                bad("LocalProvider defaultMemoryMb zero", () -> LocalProvider.builder().defaultMemoryMb(0),
                        IllegalArgumentException.class, "defaultMemoryMb must be positive, was 0"),
                bad("LocalProvider maxDiskBytes zero", () -> LocalProvider.builder().maxDiskBytes(0),
                        IllegalArgumentException.class, "maxDiskBytes must be positive, was 0"),
                bad("LocalProvider maxTmpBytes zero", () -> LocalProvider.builder().maxTmpBytes(0),
                        IllegalArgumentException.class, "maxTmpBytes must be positive, was 0"),
                bad("LocalProvider bwrap blank", () -> LocalProvider.builder().bwrap(""),
                        IllegalArgumentException.class, "bwrap cannot be null or blank"),
                bad("LocalProvider workRoot null", () -> LocalProvider.builder().workRoot(null),
                        IllegalArgumentException.class, "workRoot == null"),
                // SandboxSessions
                bad("SandboxSessions without provider", () -> SandboxSessions.builder().build(),
                        IllegalStateException.class, "SandboxSessions needs a provider: call provider(..)."),
                bad("SandboxSessions provider null", () -> SandboxSessions.builder().provider(null),
                        IllegalArgumentException.class, "provider == null"),
                bad("SandboxSessions defaultSpec null", () -> SandboxSessions.builder().defaultSpec(null),
                        IllegalArgumentException.class, "defaultSpec == null"),
                bad("SandboxSessions maxSandboxesPerConversation zero", () -> SandboxSessions.builder().maxSandboxesPerConversation(0),
                        IllegalArgumentException.class, "maxSandboxesPerConversation must be positive, was 0"),
                bad("SandboxSessions maxExecsPerConversation negative", () -> SandboxSessions.builder().maxExecsPerConversation(-1),
                        IllegalArgumentException.class, "maxExecsPerConversation must be positive, was -1"),
                bad("SandboxSessions ledger null", () -> SandboxSessions.builder().ledger(null),
                        IllegalArgumentException.class, "ledger == null"),
                // SandboxSpec
                bad("SandboxSpec memoryMb zero", () -> SandboxSpec.builder().memoryMb(0).build(),
                        IllegalArgumentException.class, "memoryMb must be positive, was 0"),
                bad("SandboxSpec cpu NaN", () -> SandboxSpec.builder().cpu(Double.NaN).build(),
                        IllegalArgumentException.class, "cpu must be positive, was NaN"),
                bad("SandboxSpec timeout zero", () -> SandboxSpec.builder().timeout(Duration.ZERO).build(),
                        IllegalArgumentException.class, "timeout must be positive, was PT0S"),
                bad("SandboxSpec image blank", () -> SandboxSpec.builder().image(" ").build(),
                        IllegalArgumentException.class, "image cannot be null or blank"),
                bad("SandboxSpec setupCommand blank", () -> SandboxSpec.builder().setupCommand(""),
                        IllegalArgumentException.class, "command cannot be null or blank"),
                bad("SandboxSpec setupCommands null", () -> SandboxSpec.builder().setupCommands(null),
                        IllegalArgumentException.class, "commands == null"),
                bad("SandboxSpec extra value null", () -> SandboxSpec.builder().extra("region", null),
                        IllegalArgumentException.class, "value == null"),
                // ExecRequest
                bad("ExecRequest timeout zero", () -> ExecRequest.of("true").withTimeout(Duration.ZERO),
                        IllegalArgumentException.class, "timeout must be positive, was PT0S"),
                bad("ExecRequest command empty", () -> ExecRequest.of(),
                        IllegalArgumentException.class, "command cannot be null or empty"));
    }

    private static Arguments bad(String option, ThrowingCallable call, Class<? extends RuntimeException> type, String message) {
        return Arguments.of(Named.of(option, call), type, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void should_name_the_option_when_a_builder_refuses_it(ThrowingCallable call, Class<? extends RuntimeException> type,
            String message) {
        assertThatThrownBy(call).isExactlyInstanceOf(type).hasMessage(message);
    }
}
