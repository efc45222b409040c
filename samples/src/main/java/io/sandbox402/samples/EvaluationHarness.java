package io.sandbox402.samples;

import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.PaymentPolicy;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An evaluation harness for LLM-generated code: every candidate solution runs against the same tests
 * in its own sandbox, all at once, with a timeout, and the harness reports which passed and what it
 * cost. The candidates here stand in for a model's samples: two are right, one is wrong for 2, one loops forever.
 */
public final class EvaluationHarness {
    static final String TESTS = """
            from solution import is_prime
            assert [n for n in range(20) if is_prime(n)] == [2, 3, 5, 7, 11, 13, 17, 19]
            assert is_prime(7919) and not is_prime(7917)
            print("ok")
            """;

    static final Map<String, String> CANDIDATES = new LinkedHashMap<>(Map.of(
            "trial-division", """
                    def is_prime(n):
                        if n < 2:
                            return False
                        i = 2
                        while i * i <= n:
                            if n % i == 0:
                                return False
                            i += 1
                        return True
                    """,
            "brute-force", """
                    def is_prime(n):
                        return n > 1 and all(n % d for d in range(2, n - 1))
                    """,
            "wrong-for-two", """
                    def is_prime(n):
                        return n > 2 and all(n % d for d in range(2, int(n ** 0.5) + 1))
                    """,
            "endless", """
                    def is_prime(n):
                        while True:
                            pass
                    """));

    /** One candidate's verdict. */
    record Verdict(String candidate, boolean passed, String detail) {}

    public static void main(String[] args) throws Exception {
        run(SampleSandboxes.kind(args), System.out);
    }

    static List<Verdict> run(String kind, PrintStream out) throws Exception {
        try (SampleSandboxes sandboxes = SampleSandboxes.open(kind, PaymentPolicy.defaults())) {
            ExecutorService pool = Executors.newFixedThreadPool(CANDIDATES.size());
            try {
                List<Future<Verdict>> futures = new ArrayList<>();
                CANDIDATES.forEach((name, code) -> futures.add(pool.submit(() -> evaluate(sandboxes, name, code))));
                List<Verdict> verdicts = new ArrayList<>();
                for (Future<Verdict> future : futures) {
                    Verdict verdict = future.get();
                    verdicts.add(verdict);
                    out.println((verdict.passed() ? "PASS " : "FAIL ") + verdict.candidate() + " " + verdict.detail());
                }
                long passed = verdicts.stream().filter(Verdict::passed).count();
                out.println("pass rate " + passed + "/" + verdicts.size() + ", spent " + sandboxes.spent());
                return verdicts;
            } finally {
                pool.shutdown();
            }
        }
    }

    private static Verdict evaluate(SampleSandboxes sandboxes, String name, String code) {
        // One sandbox per candidate: no candidate can see or break another's files.
        try (Sandbox sandbox = sandboxes.provider().create(SandboxSpec.defaults())) {
            sandbox.writeFile("solution.py", code.getBytes(StandardCharsets.UTF_8));
            sandbox.writeFile("test_solution.py", TESTS.getBytes(StandardCharsets.UTF_8));
            ExecResult result = sandbox.exec(new io.sandbox402.sandbox.ExecRequest(
                    List.of("python3", "test_solution.py"), Duration.ofSeconds(5)));
            if (result.timedOut()) {
                return new Verdict(name, false, "(timed out)");
            }
            String last = result.stderr().strip().lines().reduce((a, b) -> b).orElse("");
            return new Verdict(name, result.succeeded(), result.succeeded() ? "" : "(" + last + ")");
        }
    }
}
