package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.agent.CodeInterpreter;
import io.sandbox402.agent.CodeInterpreterException;
import io.sandbox402.agent.OutputFile;
import io.sandbox402.agent.Solution;
import io.sandbox402.agent.Step;
import io.sandbox402.x402.Usdc;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ask", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Solve a task: the model writes code, runs it in a sandbox, reads the output and answers.",
                "The answer goes to standard output, each step to standard error.",
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

    @Option(names = "--file", paramLabel = "PATH", description = "An input file, uploaded to the sandbox before the first step (repeatable).")
    List<Path> files;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Where files the Python cells make (charts,"
            + " tables) are downloaded. Default: ./sandbox402-output/<task>, made only when a cell writes a file.")
    Path outputDir;

    @Option(names = "--json", description = "Print the solution as one JSON object, also on failure (progress goes to standard error).")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print only the answer.")
    boolean quiet;

    @Parameters(arity = "1..*", paramLabel = "TASK", description = "The task, in words.")
    List<String> task;

    AskCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter progress = quiet ? new PrintWriter(new StringWriter()) : err;
        String text = String.join(" ", task).strip();
        SandboxSetup setup = null;
        try {
            if (text.isEmpty()) {
                throw new UsageException("The task is empty. Say what to solve: code-interpreter ask \"What is 2**100?\"");
            }
            if (maxSteps <= 0) {
                throw new UsageException("--max-steps must be at least 1, was " + maxSteps + ".");
            }
            ModelServer model = modelOptions.build(env, progress); // fails at once, before any sandbox, when no model is configured
            Map<String, byte[]> inputs = InputFiles.read(files);
            setup = sandboxOptions.open(env);
            SandboxSetup opened = setup;
            Progress steps = new Progress(progress, setup.paid());
            try (Interruption interruption = new Interruption(() -> interrupted(opened, steps, out, err))) {
                CodeInterpreter.Builder builder = CodeInterpreter.builder()
                        .chatModel(model)
                        .sandboxProvider(setup.provider())
                        .sandboxSpec(setup.spec())
                        .maxSteps(maxSteps)
                        .outputDir(outputDir != null ? outputDir : Path.of("sandbox402-output",
                                "ask-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now())))
                        .listener(steps);
                if (setup.paid()) {
                    builder.ledger(setup.ledger()).paymentPolicy(setup.policy());
                }
                Solution solution;
                try (CodeInterpreter interpreter = builder.build()) {
                    solution = interpreter.solve(text, inputs);
                }
                int code = exitCode(solution);
                if (interruption.claim()) {
                    report(solution, setup, code, out, err);
                }
                return code;
            }
        } catch (RuntimeException e) {
            int code = Failures.exitCode(e);
            if (json) {
                Solution partial = e instanceof CodeInterpreterException failed ? failed.partial() : null;
                ObjectNode node = partial != null ? json(partial, setup) : JsonNodeFactory.instance.objectNode();
                node.put("task", text);
                node.put("outcome", "failed");
                node.put("error", Failures.message(e));
                node.put("exit_code", code);
                if (partial == null) {
                    Payments.put(node, setup);
                }
                out.println(node);
                out.flush();
            }
            throw e;
        } finally {
            if (setup != null) {
                setup.close();
            }
        }
    }

    private static int exitCode(Solution solution) {
        return switch (solution.outcome()) {
            case ANSWERED -> 0;
            case STEP_LIMIT -> Main.EXIT_FAILED;
            case BUDGET_LIMIT -> Main.EXIT_PAYMENT_REFUSED;
            case FAILED -> solution.failure() == null ? Main.EXIT_FAILED : Failures.exitCode(solution.failure());
        };
    }

    private void report(Solution solution, SandboxSetup setup, int code, PrintWriter out, PrintWriter err) {
        if (json) {
            ObjectNode node = json(solution, setup);
            if (solution.failure() != null) {
                node.put("error", Failures.message(solution.failure()));
            }
            node.put("exit_code", code);
            out.println(node);
            out.flush();
            return;
        }
        out.println(solution.answer());
        out.flush();
        if (quiet) {
            return;
        }
        String why = switch (solution.outcome()) {
            case ANSWERED -> "";
            case STEP_LIMIT -> ", stopped: the step limit (--max-steps " + maxSteps + ") was reached";
            case BUDGET_LIMIT -> ", stopped: a payment was refused by the policy";
            case FAILED -> ", failed: no code could run";
        };
        err.println("[" + Progress.plural(solution.steps().size(), "step") + ", " + (setup.paid()
                ? Usdc.format(solution.cost()) + " on " + setup.kind() : "free " + setup.kind() + " sandbox")
                + ", " + solution.totalTokens() + " tokens" + why + "]");
        for (OutputFile file : solution.files()) {
            err.println("file: " + (file.downloaded() != null ? file.downloaded()
                    : file.path() + " (" + file.size() + " bytes, left in the sandbox: too large to download)"));
        }
        if (solution.failure() != null) {
            err.println("error: " + Failures.message(solution.failure()));
        }
        err.flush();
    }

    private void interrupted(SandboxSetup setup, Progress steps, PrintWriter out, PrintWriter err) {
        ObjectNode node = null;
        if (json) {
            node = JsonNodeFactory.instance.objectNode();
            node.put("task", String.join(" ", task));
            node.put("outcome", "interrupted");
        }
        Interruption.report(setup, " after " + Progress.plural(steps.steps(), "step"), "every sandbox was terminated",
                node, out, err);
    }

    private static ObjectNode json(Solution solution, SandboxSetup setup) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("task", solution.task());
        out.put("answer", solution.answer());
        ArrayNode files = out.putArray("files");
        for (OutputFile file : solution.files()) {
            ObjectNode node = files.addObject().put("path", file.path()).put("size", file.size()).put("step", file.step());
            node.put("downloaded", file.downloaded() == null ? null : file.downloaded().toString());
        }
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
            node.put("timed_out", step.timedOut());
            node.put("duration_seconds", step.duration().toMillis() / 1000.0);
            node.put("cost_usd", step.cost());
        }
        out.put("input_tokens", solution.inputTokens());
        out.put("output_tokens", solution.outputTokens());
        ArrayNode sandboxes = out.putArray("sandboxes");
        solution.sandboxes().forEach(use -> sandboxes.addObject().put("id", use.id()).put("terminated", use.terminated()));
        if (setup != null) {
            out.put("sandbox", setup.kind());
        }
        Payments.put(out, setup);
        return out;
    }

}
