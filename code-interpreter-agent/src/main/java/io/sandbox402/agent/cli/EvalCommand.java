package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.sandbox402.agent.CodeInterpreter;
import io.sandbox402.agent.CodeInterpreterException;
import io.sandbox402.agent.Solution;
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
import io.sandbox402.x402.Usdc;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", sortOptions = false,
        description = {"Evaluate LLM-generated code as OpenAI's human-eval does, in sandboxes: problems and samples in",
                "human-eval's JSON Lines, verdicts in <samples>_results.jsonl, pass@k. Many samples run per exec, each in",
                "its own process; a pass is reported only after check() returned. Rerun the same command to continue",
                "an interrupted run. --timeout SECONDS bounds one sample (default 3, human-eval's; at most 50).",
                "Exits 0 when it ran (whatever the pass rate), 3 when --max-cost stopped it."})
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

    /** How long one sample may run: the sandbox options' --timeout (one program), 3 s by default as in human-eval. */
    double timeout;

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

    @Option(names = "--agent",
            description = {"With --generate: also let the code-interpreter agent write N completions per task into"
                    + " <samples>_agent.jsonl, testing its code in its own sandbox before it answers; both sample sets are",
                    "evaluated and the report compares them (pass@1, model tokens, sandbox dollars)."})
    boolean agent;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "5",
            description = "Runs the agent may make per completion with --agent. Default: ${DEFAULT-VALUE}")
    int maxSteps;

    @Mixin
    ModelOptions modelOptions;

    /** Tokens the plain generation used in this run. */
    private final AtomicLong plainTokens = new AtomicLong();
    /** Tokens the agent used in this run. */
    private final AtomicLong agentTokens = new AtomicLong();
    /** Dollars the agent's own sandboxes cost in this run (its tests, not the evaluation). */
    private final AtomicReference<BigDecimal> agentSandboxCost = new AtomicReference<>(BigDecimal.ZERO);
    /** Sandboxes the agent used in this run, and how many of them were terminated. */
    private final AtomicLong agentSandboxes = new AtomicLong();
    private final AtomicLong agentCompletions = new AtomicLong();
    private final AtomicLong agentSandboxesTerminated = new AtomicLong();

    EvalCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (!Files.isReadable(problems)) {
            throw new UsageException("Cannot read the problems file " + problems + ".");
        }
        // --timeout comes with the sandbox options; here it bounds one sample, not the sandbox's batched execs.
        timeout = sandboxOptions.timeoutSeconds == null ? 3 : sandboxOptions.timeoutSeconds;
        sandboxOptions.timeoutSeconds = null;
        if (!(timeout > 0) || timeout > 50) {
            throw new UsageException("--timeout must be between 0 and 50 seconds (one exec lasts at most 60 s), was " + timeout);
        }
        if (agent && generate == null) {
            throw new UsageException("--agent needs --generate N: the agent writes N completions per task.");
        }
        if (agent && maxSteps < 1) {
            throw new UsageException("--max-steps must be at least 1, was " + maxSteps + ".");
        }
        if (generate != null) {
            generate();
        }
        if (!Files.isReadable(samples)) {
            throw new UsageException("Cannot read the samples file " + samples + ".");
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
            if (agent) {
                generateWithAgent(setup);
            }
            EvaluationReport report = evaluate(setup, samples, err, budget);
            EvaluationReport agentReport = null;
            if (agent && report.complete()) {
                err.println("evaluating the agent's samples " + agentSamples());
                err.flush();
                agentReport = evaluate(setup, agentSamples(), err, budget);
            }
            print(report, agentReport, setup.kind());
            boolean complete = report.complete() && (!agent || agentReport != null && agentReport.complete());
            return complete ? 0 : Main.EXIT_PAYMENT_REFUSED;
        }
    }

    private EvaluationReport evaluate(SandboxSetup setup, Path samplesFile, PrintWriter err, BigDecimal budget) {
        Evaluation.Builder evaluation;
        try {
            evaluation = Evaluation.builder().provider(setup.provider()).problems(problems).samples(samplesFile)
                    .workers(workers).timeout(Duration.ofMillis((long) (timeout * 1000))).ks(ks).memoryMb(memoryMb)
                    .listener(new Printer(err, System.console() != null, setup.kind(), budget));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (setup.paid()) {
            // This evaluation's spending only: with --agent the ledger also holds the agent's runs and the other evaluation.
            BigDecimal before = setup.ledger().totalCommitted();
            evaluation.pricing(pricing((BlockRunProvider) setup.provider()))
                    .spent(() -> setup.ledger().totalCommitted().subtract(before));
            if (budget != null) {
                budget = budget.subtract(before).max(BigDecimal.ZERO); // what earlier spending in this run left
            }
        }
        if (budget != null) {
            evaluation.maxCost(budget);
        }
        try {
            return evaluation.build().run();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Where the agent's samples go: beside --samples, as the results file is. */
    private Path agentSamples() {
        return samples.resolveSibling(samples.getFileName() + "_agent.jsonl");
    }

    /** The task the agent gets for one prompt: complete the function, test it if it likes, answer with the code. */
    static String agentTask(String prompt) {
        return "Complete the following Python function. You may run code in your sandbox to test your implementation"
                + " (for instance against the examples in its docstring) before you answer. Answer with the completed"
                + " function only, in one ```python fenced block.\n\n```python\n" + prompt + "```";
    }

    /** Lets the code-interpreter agent write the completions its samples file lacks. */
    private void generateWithAgent(SandboxSetup setup) {
        PrintWriter err = spec.commandLine().getErr();
        ChatModel model = modelOptions.build(env, err);
        SampleGenerator.Builder generator = SampleGenerator.builder().problems(problems).samples(agentSamples())
                .samplesPerTask(generate)
                .parallelism(Math.max(1, workers))
                .completer(prompt -> solve(setup, model, prompt));
        if (stops != null && !stops.isEmpty()) {
            generator.stops(stops);
        }
        int generated;
        // The ledger's difference, not the sum of Solution.cost(): solves running at once would count each other's.
        BigDecimal before = setup.paid() ? setup.ledger().totalCommitted() : BigDecimal.ZERO;
        try {
            generated = generator.build().generate();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } finally {
            agentSandboxCost.set(setup.paid() ? setup.ledger().totalCommitted().subtract(before) : BigDecimal.ZERO);
        }
        err.println("the agent generated " + generated + " samples with " + modelOptions.modelName(env) + " into "
                + agentSamples() + " (" + agentTokens.get() + " tokens, " + agentSandboxes.get() + " sandboxes, "
                + agentSandboxesTerminated.get() + " terminated, " + SandboxOptions.usd(agentSandboxCost.get()) + ")");
        err.flush();
    }

    /** One agent run: its answer, its tokens and sandboxes added to this run's totals. */
    private String solve(SandboxSetup setup, ChatModel model, String prompt) {
        CodeInterpreter.Builder builder = CodeInterpreter.builder().chatModel(model).sandboxProvider(setup.provider())
                .sandboxSpec(setup.spec()).maxSteps(maxSteps);
        if (setup.paid()) {
            builder.ledger(setup.ledger()).paymentPolicy(setup.policy());
        }
        Solution solution;
        try (CodeInterpreter interpreter = builder.build()) {
            solution = interpreter.solve(agentTask(prompt));
        } catch (CodeInterpreterException e) {
            solution = e.partial();
            if (solution == null) {
                return "";
            }
        }
        agentTokens.addAndGet(solution.totalTokens());
        PrintWriter err = spec.commandLine().getErr();
        err.println("agent completion " + agentCompletions.incrementAndGet() + ": " + solution.outcome().name()
                .toLowerCase(Locale.ROOT) + ", " + io.sandbox402.agent.cli.Progress.plural(solution.steps().size(), "run") + ", "
                + solution.totalTokens() + " tokens");
        err.flush();
        agentSandboxes.addAndGet(solution.sandboxes().size());
        agentSandboxesTerminated.addAndGet(solution.sandboxes().stream().filter(Solution.SandboxUse::terminated).count());
        return solution.outcome() == Solution.Outcome.FAILED ? "" : solution.answer();
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
                .completer(prompt -> {
                    ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from(
                            "Complete the following Python function. Answer with the code only.\n\n" + prompt)).build());
                    TokenUsage usage = response.tokenUsage();
                    if (usage != null && usage.totalTokenCount() != null) {
                        plainTokens.addAndGet(usage.totalTokenCount());
                    }
                    return response.aiMessage().text();
                });
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

    private void print(EvaluationReport report, EvaluationReport agentReport, String kind) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = json(report, kind);
            if (agent) {
                node.put("model_tokens", plainTokens.get());
                ObjectNode agentNode = agentReport == null ? JsonNodeFactory.instance.objectNode() : json(agentReport, kind);
                node.set("agent", agentNode);
                agentNode.put("samples_file", agentSamples().toString());
                agentNode.put("model_tokens", agentTokens.get());
                agentNode.put("sandbox_cost_usd", agentSandboxCost.get());
                agentNode.put("sandboxes_used", agentSandboxes.get());
                agentNode.put("sandboxes_terminated", agentSandboxesTerminated.get());
                ArrayNode modes = node.putArray("comparison");
                modes.add(row("plain", report, plainTokens.get(), BigDecimal.ZERO));
                modes.add(row("agent", agentReport, agentTokens.get(), agentSandboxCost.get()));
            }
            out.println(node);
            out.flush();
            return;
        }
        printText(report, kind, out);
        if (agent) {
            if (agentReport != null) {
                out.println();
                out.println("agent samples (" + agentSamples() + "):");
                printText(agentReport, kind, out);
            }
            out.println();
            out.println("plain vs agent (tokens and sandbox $ of this run's generation):");
            out.printf(Locale.ROOT, "  %-6s  %-7s  %12s  %10s  %10s%n", "mode", "pass@1", "model tokens", "sandbox $", "eval $");
            out.println(tableRow("plain", report, plainTokens.get(), BigDecimal.ZERO));
            out.println(tableRow("agent", agentReport, agentTokens.get(), agentSandboxCost.get()));
        }
        out.flush();
    }

    /** pass@1 even when --k leaves 1 out: with n samples for every task it is the share that passed. */
    private static Double pass1(EvaluationReport report) {
        if (report == null || report.samples() == 0) {
            return null;
        }
        Double pass1 = report.passAtK().get(1);
        return pass1 != null ? pass1 : (double) report.passed() / report.samples();
    }

    private static String tableRow(String mode, EvaluationReport report, long tokens, BigDecimal sandboxCost) {
        Double pass1 = pass1(report);
        return String.format(Locale.ROOT, "  %-6s  %-7s  %12d  %10s  %10s", mode,
                pass1 == null ? "-" : String.format(Locale.ROOT, "%.4f", pass1), tokens, SandboxOptions.usd(sandboxCost),
                report == null ? "-" : SandboxOptions.usd(report.cost()));
    }

    private static ObjectNode row(String mode, EvaluationReport report, long tokens, BigDecimal sandboxCost) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("mode", mode);
        Double pass1 = pass1(report);
        if (pass1 == null) {
            row.putNull("pass@1");
        } else {
            row.put("pass@1", pass1);
        }
        row.put("model_tokens", tokens);
        row.put("sandbox_cost_usd", sandboxCost);
        if (report == null) {
            row.putNull("eval_cost_usd");
        } else {
            row.put("eval_cost_usd", report.cost());
        }
        return row;
    }

    private static ObjectNode json(EvaluationReport report, String kind) {
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
        return node;
    }

    private static void printText(EvaluationReport report, String kind, PrintWriter out) {
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
                : SandboxOptions.usd(report.cost()) + " on " + kind + ", " + Usdc.format(report.costPerSample())
                        + " per sample"));
        out.println("results: " + report.results());
        if (!report.complete()) {
            out.println("stopped: " + report.stoppedBecause() + ". Run the same command again to continue.");
        }
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
