package io.sandbox402.agent.cli;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.sandbox402.eval.Evaluation;
import io.sandbox402.eval.EvaluationReport;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.Usdc;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code code-interpreter eval}: its options, then the run in order. First the samples are generated
 * when asked ({@link PlainSamples}, {@link AgentSamples}); then each samples file is evaluated with
 * its progress on standard error ({@link EvalProgressPrinter}); finally the report is printed
 * ({@link EvalReportPrinter}). Used by one thread.
 */
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
    @Nullable String maxCost;

    @Option(names = "--memory-mb", paramLabel = "MB", defaultValue = "1024", description = "Memory of one sample. Default: ${DEFAULT-VALUE}")
    int memoryMb;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Option(names = "--generate", paramLabel = "N",
            description = "First generate N samples per task with the model (OPENAI_*) into --samples (topped up on rerun).")
    @Nullable Integer generate;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
            description = "Sampling temperature for --generate. Default: ${DEFAULT-VALUE}")
    double temperature;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "512",
            description = "Longest completion for --generate. Default: ${DEFAULT-VALUE}")
    int maxTokens;

    @Option(names = "--stop", paramLabel = "TEXT",
            description = "A stop sequence for --generate (repeatable). Default: human-eval's new top-level statements.")
    @Nullable List<String> stops;

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
        PrintWriter err = spec.commandLine().getErr();
        PlainSamples plain = generate == null ? null : generate(err, generate);
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
        try (SandboxSetup setup = sandboxOptions.open(env)) {
            AgentSamples agentSamples = agent && generate != null ? generateWithAgent(setup, err, generate) : null;
            EvaluationReport report = evaluate(setup, samples, err, budget);
            EvaluationReport agentReport = null;
            Path agentFile = AgentSamples.file(samples);
            if (agent && report.complete()) {
                err.println("evaluating the agent's samples " + agentFile);
                err.flush();
                agentReport = evaluate(setup, agentFile, err, budget);
            }
            EvalReportPrinter.Comparison comparison = agentSamples == null || plain == null ? null : new EvalReportPrinter.Comparison(
                    plain.tokens(), agentFile, agentSamples.tokens(), agentSamples.sandboxCost(), agentSamples.sandboxes(),
                    agentSamples.sandboxesTerminated());
            new EvalReportPrinter(spec.commandLine().getOut(), setup.kind(), json).print(report, agentReport, comparison);
            boolean complete = report.complete() && (!agent || agentReport != null && agentReport.complete());
            return complete ? 0 : Main.EXIT_PAYMENT_REFUSED;
        }
    }

    private EvaluationReport evaluate(SandboxSetup setup, Path samplesFile, PrintWriter err, @Nullable BigDecimal budget) {
        Evaluation.Builder evaluation;
        try {
            evaluation = Evaluation.builder().provider(setup.provider()).problems(problems).samples(samplesFile)
                    .workers(workers).timeout(Duration.ofMillis((long) (timeout * 1000))).ks(ks).memoryMb(memoryMb)
                    .listener(new EvalProgressPrinter(err, System.console() != null, setup.kind(), budget));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (setup.paid()) {
            // This evaluation's spending only: with --agent the ledger also holds the agent's runs and the other evaluation.
            BigDecimal before = setup.ledger().totalCommitted();
            evaluation.pricing(BlockRunPricing.of((BlockRunProvider) setup.provider()))
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

    /** Lets the code-interpreter agent write the completions its samples file lacks. */
    private AgentSamples generateWithAgent(SandboxSetup setup, PrintWriter err, int perTask) {
        AgentSamples agentSamples = new AgentSamples(setup, modelOptions.build(env, err), maxSteps, err);
        Path file = AgentSamples.file(samples);
        int generated = agentSamples.generate(problems, file, perTask, workers, stops);
        err.println("the agent generated " + generated + " samples with " + modelOptions.modelName(env) + " into "
                + file + " (" + agentSamples.tokens() + " tokens, " + agentSamples.sandboxes() + " sandboxes, "
                + agentSamples.sandboxesTerminated() + " terminated, " + Usdc.format(agentSamples.sandboxCost()) + ")");
        err.flush();
        return agentSamples;
    }

    /** Generates the samples the file lacks with the configured model. */
    private PlainSamples generate(PrintWriter err, int perTask) {
        if (perTask < 1) {
            throw new UsageException("--generate must be at least 1, was " + generate);
        }
        if (!modelOptions.configured(env)) {
            throw new UsageException("--generate needs a model: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any"
                    + " OpenAI-compatible server; OPENAI_MODEL picks the model (default " + ModelOptions.DEFAULT_MODEL + ").");
        }
        String key = modelOptions.apiKey(env);
        ChatModel model = OpenAiChatModel.builder()
                .baseUrl(modelOptions.baseUrl(env))
                .apiKey(key == null ? "not-needed" : key)
                .modelName(modelOptions.modelName(env))
                .temperature(temperature)
                .maxTokens(maxTokens)
                .timeout(Duration.ofSeconds(120))
                .maxRetries(2)
                .build();
        PlainSamples plain = new PlainSamples(model);
        int generated = plain.generate(problems, samples, perTask, stops);
        err.println("generated " + generated + " samples with " + modelOptions.modelName(env) + " into " + samples);
        err.flush();
        return plain;
    }
}
