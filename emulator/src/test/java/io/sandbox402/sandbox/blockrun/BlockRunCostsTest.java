package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.Wallet;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How many paid execs programs and files cost within BlockRun's public beta limits (32 × 2000
 * characters per exec), measured on the emulator: the figures of the README's "Costs and limits on
 * BlockRun". Prints a table; the assertions keep the figures from growing unnoticed.
 */
class BlockRunCostsTest {
    LocalProvider local;
    BlockRunEmulator emulator;
    BlockRunProvider provider;
    Sandbox sandbox;

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local).build().start();
        provider = BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY))
                .shutdownHook(false).build();
        sandbox = provider.create(SandboxSpec.defaults());
    }

    @AfterEach
    void stop() {
        provider.close();
        emulator.close();
        local.close();
    }

    long execs() {
        return emulator.requests().stream().filter(r -> r.operation().equals("exec") && r.paid() && r.status() == 200).count();
    }

    /** Typical generated code: zlib shrinks it about fivefold. */
    static String code(int bytes) {
        StringBuilder code = new StringBuilder("total = 0\n");
        for (int i = 0; code.length() < bytes - 20; i++) {
            code.append("total += ").append(i).append("  # step ").append(i).append(" of the computation\n");
        }
        return code.append("print(total)\n").toString();
    }

    /** Text zlib cannot shrink much: a string literal of random letters and digits. */
    static String randomCode(int bytes) {
        Random random = new Random(bytes);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder code = new StringBuilder("data = '");
        while (code.length() < bytes - 30) {
            code.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return code.append("'\nprint(len(data))\n").toString();
    }

    @Test
    void should_cost_the_fewest_execs_the_limits_permit() {
        StringBuilder table = new StringBuilder("| what | size | paid execs |\n|---|---|---|\n");
        for (int size : new int[] {1_000, 10_000, 100_000, 1_000_000}) {
            long before = execs();
            ExecResult result = sandbox.runCode(Language.PYTHON, code(size));
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            table.append("| runCode, typical code | ").append(size).append(" B | ").append(execs() - before).append(" |\n");
        }
        for (int size : new int[] {10_000, 100_000}) {
            long before = execs();
            ExecResult result = sandbox.runCode(Language.PYTHON, randomCode(size));
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            table.append("| runCode, random text | ").append(size).append(" B | ").append(execs() - before).append(" |\n");
        }
        for (int size : new int[] {1_000, 100_000, 1_048_576, 5_242_880}) {
            byte[] content = new byte[size];
            new Random(size).nextBytes(content);
            long before = execs();
            sandbox.writeFile("blob.bin", content);
            long writes = execs() - before;
            before = execs();
            assertThat(sandbox.readFile("blob.bin")).isEqualTo(content);
            table.append("| writeFile / readFile, random bytes | ").append(size).append(" B | ").append(writes)
                    .append(" / ").append(execs() - before).append(" |\n");
        }
        System.out.println(table);
    }
}
