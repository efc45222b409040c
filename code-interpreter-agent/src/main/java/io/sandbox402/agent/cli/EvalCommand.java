package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.eval.Estimate;
import io.sandbox402.eval.Evaluation;
import io.sandbox402.eval.EvaluationListener;
import io.sandbox402.eval.EvaluationReport;
import io.sandbox402.eval.Pricing;
import io.sandbox402.eval.Progress;
import io.sandbox402.eval.SampleGenerator;
import io.sandbox402.eval.TaskCount;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.x402.PaymentPolicy;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", sortOptions = false,
        description = {"Evaluate LLM-generated code as OpenAI's human-eval does, in sandboxes: problems and samples in",
                "human-eval's JSON Lines, verdicts in <samples>_results.jsonl, pass@k. Many samples run per exec, each in",
                "its own process; a pass is reported only after check() returned. Rerun the same command to continue",
                "an interrupted run. Exits 0 when it ran (whatever the pass rate), 3 when --max-cost stopped it."})
final class EvalCommand implements Callable<Integer> {
    private final Environment env;

    @Spec
    CommandSpec spec;

    @Mixin
    SandboxOptions sandboxOptions;

    @Option(names = "--problems", required = true, paramLabel = "FILE",
            description = "Problems: task_id, prompt, canonical_solution, test, entry_point (.jsonl or .jsonl.gz).")
    Path problems;

    @Option(names = "--samples", required = true, paramLabel = "FILE", description = "Samples: task_id, completion (.jsonl).")
    Path samples;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1", description = "Sandboxes kept busy. Default: ${DEFAULT-VALUE}")
    int workers;

    /** How long one sample may run when {@code --timeout} (of the sandbox options) names nothing: human-eval's. */
    private static final int DEFAULT_SAMPLE_TIMEOUT_SECONDS = 3;

    @Option(names = "--k", paramLabel = "K,...", defaultValue = "1,10,100", split = ",",
            description = "The k of pass@k; those above a task's sample count are skipped. Default: ${DEFAULT-VALUE}")
    List<Integer> ks;

    @Option(names = "--max-cost", paramLabel = "USD", description = "Stop before spending more than this on this run.")
    String maxCost;

    @Option(names = "--memory-mb", paramLabel = "MB", defaultValue = "1024", description = "Memory of one sample. Default: ${DEFAULT-VALUE}")
    int memoryMb;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Option(names = "--generate", paramLabel = "N",
            description = "First generate N samples per task with the model (OPENAI_*) into --samples (topped up on rerun).")
    Integer generate;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
            description = "Sampling temperature for --generate. Default: ${DEFAULT-VALUE}")
    double temperature;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "512",
            description = "Longest completion for --generate. Default: ${DEFAULT-VALUE}")
    int maxTokens;

    @Option(names = "--stop", paramLabel = "TEXT",
            description = "A stop sequence for --generate (repeatable). Default: human-eval's new top-level statements.")
    List<String> stops;

    @Mixin
    ModelOptions modelOptions;

    EvalCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (!Files.isReadable(problems)) {
            throw new UsageException("Cannot read the problems file " + problems + ".");
        }
        if (generate != null) {
            generate();
        }
        if (!Files.isReadable(samples)) {
            throw new UsageException("Cannot read the samples file " + samples + ".");
        }
        // --timeout comes from the sandbox options shared with ask and run: here it bounds one sample.
        double timeout = sandboxOptions.timeoutSeconds == null ? DEFAULT_SAMPLE_TIMEOUT_SECONDS : sandboxOptions.timeoutSeconds;
        if (!(timeout > 0) || timeout > 50) {
            throw new UsageException("--timeout must be between 0 and 50 seconds (one exec lasts at most 60 s), was " + timeout);
        }
        BigDecimal budget = null;
        if (maxCost != null) {
            try {
                budget = PaymentPolicy.parseUsd(maxCost, "--max-cost");
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (sandboxOptions.maxSessionCost == null
                    && env.resolve(null, PaymentPolicy.MAX_SESSION_COST_VARIABLE) == null) {
                sandboxOptions.maxSessionCost = maxCost; // the wallet's session cap follows the budget
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        try (SandboxSetup setup = sandboxOptions.open(env)) {
            Evaluation.Builder evaluation;
            try {
                evaluation = Evaluation.builder().provider(setup.provider()).problems(problems).samples(samples)
                        .workers(workers).timeout(Duration.ofMillis((long) (timeout * 1000))).ks(ks).memoryMb(memoryMb)
                        .listener(new Printer(err, System.console() != null, setup.kind(), budget));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (setup.paid()) {
                evaluation.pricing(pricing((BlockRunProvider) setup.provider())).spent(setup.ledger()::totalCommitted);
            }
            if (budget != null) {
                evaluation.maxCost(budget);
            }
            EvaluationReport report;
            try {
                report = evaluation.build().run();
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            print(report, setup.kind());
            return report.complete() ? 0 : Main.EXIT_PAYMENT_REFUSED;
        }
    }

    /** Generates the samples the file lacks with the configured model. */
    private void generate() {
        if (generate < 1) {
            throw new UsageException("--generate must be at least 1, was " + generate);
        }
        if (!modelOptions.configured(env)) {
            throw new UsageException("--generate needs a model: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any"
                    + " OpenAI-compatible server; OPENAI_MODEL picks the model (default " + ModelOptions.DEFAULT_MODEL + ").");
        }
        String key = modelOptions.apiKey(env);
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                .baseUrl(modelOptions.baseUrl(env))
                .apiKey(key == null ? "not-needed" : key)
                .modelName(modelOptions.modelName(env))
                .temperature(temperature)
                .maxTokens(maxTokens)
                .timeout(Duration.ofSeconds(120))
                .maxRetries(2);
        ChatModel model = builder.build();
        SampleGenerator.Builder generator = SampleGenerator.builder().problems(problems).samples(samples)
                .samplesPerTask(generate)
                .completer(prompt -> model.chat("Complete the following Python function. Answer with the code only.\n\n"
                        + prompt));
        if (stops != null && !stops.isEmpty()) {
            generator.stops(stops);
        }
        PrintWriter err = spec.commandLine().getErr();
        int generated;
        try {
            generated = generator.build().generate();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        err.println("generated " + generated + " samples with " + modelOptions.modelName(env) + " into " + samples);
        err.flush();
    }

    /** BlockRun's prices, asked for without paying (a request without payment answers with its price). */
    private static Pricing pricing(BlockRunProvider provider) {
        return new Pricing(price(provider, "create", Map.of("timeout", 300)),
                price(provider, "exec", Map.of("sandbox_id", "sb-quote", "command", List.of("true"))),
                price(provider, "terminate", Map.of("sandbox_id", "sb-quote")));
    }

    private static BigDecimal price(BlockRunProvider provider, String operation, Map<String, Object> body) {
        return provider.quote(operation, body).usd();
    }

    private void print(EvaluationReport report, String kind) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("results", report.results().toString());
            node.put("complete", report.complete());
            node.put("stopped_because", report.stoppedBecause());
            node.put("samples", report.samples());
            node.put("passed", report.passed());
            ObjectNode passAtK = node.putObject("pass_at_k");
            report.passAtK().forEach((k, value) -> passAtK.put("pass@" + k, value));
            ArrayNode tasks = node.putArray("tasks");
            report.tasks().forEach(task -> tasks.addObject().put("task_id", task.taskId()).put("samples", task.samples())
                    .put("passed", task.passed()));
            node.put("evaluated_this_run", report.evaluatedThisRun());
            node.put("duration_seconds", report.duration().toMillis() / 1000.0);
            node.put("sandbox", kind);
            node.put("cost_usd", report.cost());
            node.put("cost_per_sample_usd", report.costPerSample());
            out.println(node);
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "%d samples, %d passed (%.1f%%); %d evaluated in this run, in %.1f s%n", report.samples(),
                report.passed(), report.samples() == 0 ? 0.0 : 100.0 * report.passed() / report.samples(),
                report.evaluatedThisRun(), report.duration().toMillis() / 1000.0);
        List<String> passAtK = new ArrayList<>();
        report.passAtK().forEach((k, value) -> passAtK.add(String.format(Locale.ROOT, "pass@%d %.4f", k, value)));
        out.println(passAtK.isEmpty() ? "pass@k: no k fits the samples per task" : String.join("   ", passAtK));
        out.println("per task (passed/samples):");
        int width = report.tasks().stream().mapToInt(t -> t.taskId().length()).max().orElse(0);
        for (TaskCount task : report.tasks()) {
            out.printf(Locale.ROOT, "  %-" + width + "s  %d/%d%n", task.taskId(), task.passed(), task.samples());
        }
        out.println("cost: " + (report.cost().signum() == 0 && kind.equals("local") ? "free (local sandbox)"
                : SandboxOptions.usd(report.cost()) + " on " + kind + ", $" + report.costPerSample().stripTrailingZeros().toPlainString()
                        + " per sample"));
        out.println("results: " + report.results());
        if (!report.complete()) {
            out.println("stopped: " + report.stoppedBecause() + ". Run the same command again to continue.");
        }
        out.flush();
    }

    /** Progress on standard error: one rewritten line on a terminal, plain lines at most every 5 s otherwise. */
    private static final class Printer implements EvaluationListener {
        private final PrintWriter err;
        private final boolean terminal;
        private final String kind;
        private final BigDecimal budget;
        private long doneAtStart;
        private long lastPrinted;

        Printer(PrintWriter err, boolean terminal, String kind, BigDecimal budget) {
            this.err = err;
            this.terminal = terminal;
            this.kind = kind;
            this.budget = budget;
        }

        @Override
        public void estimated(Estimate estimate) {
            doneAtStart = estimate.alreadyDone();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d samples to evaluate", estimate.samples()));
            if (estimate.alreadyDone() > 0) {
                line.append(" (").append(estimate.alreadyDone()).append(" already in the results file, skipped)");
            }
            line.append(String.format(Locale.ROOT, " in about %d batches on %d %s sandbox%s", estimate.batches(),
                    estimate.sandboxes(), kind, estimate.sandboxes() == 1 ? "" : "es"));
            if (estimate.maxCost().signum() > 0) {
                line.append("; estimated cost ").append(SandboxOptions.usd(estimate.minCost())).append(" (every sample quick) to ")
                        .append(SandboxOptions.usd(estimate.maxCost())).append(" (every sample timing out)");
            }
            if (budget != null) {
                line.append("; stops at --max-cost ").append(SandboxOptions.usd(budget));
            }
            err.println(line);
            err.flush();
        }

        @Override
        public void progressed(Progress progress) {
            long now = System.nanoTime();
            boolean last = progress.done() == progress.total();
            if (!terminal && !last && now - lastPrinted < 5_000_000_000L) {
                return;
            }
            lastPrinted = now;
            Duration eta = progress.eta(doneAtStart);
            String line = String.format(Locale.ROOT, "%d/%d samples, %.1f%% passed, %s, %d sandbox%s%s",
                    progress.done(), progress.total(), 100 * progress.passRate(), SandboxOptions.usd(progress.spent()),
                    progress.sandboxes(), progress.sandboxes() == 1 ? "" : "es",
                    eta == null || last ? "" : ", ETA " + eta.toSeconds() + " s");
            if (terminal) {
                err.print("\r" + line + "\u001b[K" + (last ? "\n" : ""));
            } else {
                err.println(line);
            }
            err.flush();
        }
    }
}
