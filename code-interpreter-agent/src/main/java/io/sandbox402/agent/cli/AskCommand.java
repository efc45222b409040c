package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.ChatModel;
import io.sandbox402.agent.CodeInterpreter;
import io.sandbox402.agent.CodeInterpreterListener;
import io.sandbox402.agent.Solution;
import io.sandbox402.agent.Step;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ask", sortOptions = false,
        description = {"Solve a task: the model writes code, runs it in a sandbox, reads the output and answers.",
                "The default command: 'code-interpreter \"TASK\"' is 'code-interpreter ask \"TASK\"'."})
final class AskCommand implements Callable<Integer> {
    private final Environment env;

    @Spec
    CommandSpec spec;

    @Mixin
    SandboxOptions sandboxOptions;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "10", description = "Runs the model may make. Default: ${DEFAULT-VALUE}")
    int maxSteps;

    @Option(names = "--json", description = "Print the solution as one JSON object (progress goes to standard error).")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "TASK", description = "The task, in words.")
    List<String> task;

    AskCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        ChatModel model = modelOptions.build(env); // fails at once, before any sandbox, when no model is configured
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = json ? spec.commandLine().getErr() : out;
        try (SandboxSetup setup = sandboxOptions.open(env)) {
            CodeInterpreter.Builder builder = CodeInterpreter.builder()
                    .chatModel(model)
                    .sandboxProvider(setup.provider())
                    .maxSteps(maxSteps)
                    .listener(new Progress(progress, setup.paid()));
            if (setup.paid()) {
                builder.ledger(setup.ledger()).paymentPolicy(setup.policy());
            }
            Solution solution;
            try (CodeInterpreter interpreter = builder.build()) {
                solution = interpreter.solve(String.join(" ", task));
            }
            if (json) {
                out.println(json(solution, setup));
            } else {
                out.println();
                out.println(solution.answer());
                out.println();
                out.println("[" + solution.steps().size() + " steps, " + (setup.paid() ? SandboxOptions.usd(solution.cost())
                        + " on " + setup.kind() : "free " + setup.kind() + " sandbox") + ", " + solution.totalTokens()
                        + " tokens" + (solution.outcome() == Solution.Outcome.ANSWERED ? ""
                        : ", stopped: " + solution.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')) + "]");
            }
            out.flush();
            return switch (solution.outcome()) {
                case ANSWERED -> 0;
                case STEP_LIMIT -> 1;
                case BUDGET_LIMIT -> Main.EXIT_PAYMENT_REFUSED;
            };
        }
    }

    private static ObjectNode json(Solution solution, SandboxSetup setup) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("task", solution.task());
        out.put("answer", solution.answer());
        out.put("outcome", solution.outcome().name().toLowerCase(Locale.ROOT));
        ArrayNode steps = out.putArray("steps");
        for (Step step : solution.steps()) {
            ObjectNode node = steps.addObject();
            node.put("number", step.number());
            node.put("tool", step.tool());
            node.put("language", step.language());
            node.put("code", step.code());
            node.put("stdout", step.stdout());
            node.put("stderr", step.stderr());
            node.put("returncode", step.exitCode());
            node.put("duration_seconds", step.duration().toMillis() / 1000.0);
            node.put("cost_usd", step.cost());
        }
        out.put("cost_usd", solution.cost());
        out.put("input_tokens", solution.inputTokens());
        out.put("output_tokens", solution.outputTokens());
        ArrayNode sandboxes = out.putArray("sandboxes");
        solution.sandboxes().forEach(use -> sandboxes.addObject().put("id", use.id()).put("terminated", use.terminated()));
        out.put("sandbox", setup.kind());
        out.set("payments", Payments.json(setup.ledger()));
        return out;
    }

    /** Each step as it happens: its code, then its exit code, time and the cost so far. */
    private record Progress(PrintWriter out, boolean paid) implements CodeInterpreterListener {
        @Override
        public void stepStarted(int number, String language, String code) {
            out.println("── step " + number + " (" + language + ")");
            code.lines().forEach(line -> out.println("   " + line));
            out.flush();
        }

        @Override
        public void stepFinished(Step step, BigDecimal spent) {
            out.println("   → exit " + step.exitCode() + (step.timedOut() ? " (timed out)" : "")
                    + String.format(Locale.ROOT, " in %.2f s", step.duration().toMillis() / 1000.0)
                    + (paid ? ", " + SandboxOptions.usd(spent) + " so far" : ""));
            out.flush();
        }
    }
}
