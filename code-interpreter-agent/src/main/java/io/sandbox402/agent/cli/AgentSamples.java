package io.sandbox402.agent.cli;

import dev.langchain4j.model.chat.ChatModel;
import io.sandbox402.agent.CodeInterpreter;
import io.sandbox402.agent.CodeInterpreterException;
import io.sandbox402.agent.Solution;
import io.sandbox402.eval.SampleGenerator;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * {@code eval --generate N --agent}: the code-interpreter agent writes each completion, testing its
 * code in its own sandbox first, and its tokens, sandboxes and sandbox dollars are counted apart
 * from the evaluation's. Safe for the generator's threads: each completion has its own interpreter.
 */
final class AgentSamples {
    private final SandboxSetup setup;
    private final ChatModel model;
    private final int maxSteps;
    private final PrintWriter err;
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong completions = new AtomicLong();
    private final AtomicLong sandboxes = new AtomicLong();
    private final AtomicLong sandboxesTerminated = new AtomicLong();
    private volatile BigDecimal sandboxCost = BigDecimal.ZERO;

    AgentSamples(SandboxSetup setup, ChatModel model, int maxSteps, PrintWriter err) {
        this.setup = setup;
        this.model = model;
        this.maxSteps = maxSteps;
        this.err = err;
    }

    /** Where the agent's samples go: beside {@code samples}, as the results file is. */
    static Path file(Path samples) {
        return samples.resolveSibling(samples.getFileName() + "_agent.jsonl");
    }

    /** The task the agent gets for one prompt: complete the function, test it if it likes, answer with the code. */
    static String task(String prompt) {
        return "Complete the following Python function. You may run code in your sandbox to test your implementation"
                + " (for instance against the examples in its docstring) before you answer. Answer with the completed"
                + " function only, in one ```python fenced block.\n\n```python\n" + prompt + "```";
    }

    /** Writes the completions {@code samples} lacks, {@code parallelism} at a time; returns how many. */
    int generate(Path problems, Path samples, int perTask, int parallelism, @Nullable List<String> stops) {
        SampleGenerator.Builder generator = SampleGenerator.builder().problems(problems).samples(samples)
                .samplesPerTask(perTask)
                .parallelism(Math.max(1, parallelism))
                .completer(this::solve);
        if (stops != null && !stops.isEmpty()) {
            generator.stops(stops);
        }
        // The ledger's difference, not the sum of Solution.cost(): solves running at once would count each other's.
        BigDecimal before = spent();
        try {
            return generator.build().generate();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } finally {
            sandboxCost = spent().subtract(before);
        }
    }

    private BigDecimal spent() {
        return setup.paid() ? setup.ledger().totalCommitted() : BigDecimal.ZERO;
    }

    /** One agent run: its answer, its tokens and sandboxes added to this run's totals. */
    private String solve(String prompt) {
        CodeInterpreter.Builder builder = CodeInterpreter.builder().chatModel(model).sandboxProvider(setup.provider())
                .sandboxSpec(setup.spec()).maxSteps(maxSteps);
        if (setup.paid()) {
            builder.ledger(setup.ledger()).paymentPolicy(setup.policy());
        }
        Solution solution;
        try (CodeInterpreter interpreter = builder.build()) {
            solution = interpreter.solve(task(prompt));
        } catch (CodeInterpreterException e) {
            solution = e.partial();
        }
        tokens.addAndGet(solution.totalTokens());
        synchronized (err) {
            err.println("agent completion " + completions.incrementAndGet() + ": " + solution.outcome().name()
                    .toLowerCase(Locale.ROOT) + ", " + Progress.plural(solution.steps().size(), "run") + ", "
                    + solution.totalTokens() + " tokens");
            err.flush();
        }
        sandboxes.addAndGet(solution.sandboxes().size());
        sandboxesTerminated.addAndGet(solution.sandboxes().stream().filter(Solution.SandboxUse::terminated).count());
        return solution.outcome() == Solution.Outcome.FAILED ? "" : solution.answer();
    }

    long tokens() {
        return tokens.get();
    }

    long sandboxes() {
        return sandboxes.get();
    }

    long sandboxesTerminated() {
        return sandboxesTerminated.get();
    }

    /** What the agent's own sandboxes cost in this run (its tests, not the evaluation). */
    BigDecimal sandboxCost() {
        return sandboxCost;
    }
}
