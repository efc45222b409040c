package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.eval.EvaluationReport;
import io.sandbox402.eval.TaskCount;
import io.sandbox402.x402.Usdc;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code eval}'s report on standard output: pass@k, per task counts, the cost and the results file,
 * as text or one JSON object; with {@code --agent}, the agent's report and a plain-versus-agent table.
 * Used by one thread.
 */
final class EvalReportPrinter {
    /**
     * What {@code --agent} adds to the report: the generation's own totals, apart from the evaluation's.
     *
     * @param plainTokens tokens the plain generation used in this run
     * @param agentSamples the agent's samples file
     * @param agentTokens tokens the agent used in this run
     * @param agentSandboxCost dollars the agent's own sandboxes cost in this run
     * @param sandboxes sandboxes the agent used
     * @param sandboxesTerminated how many of them were terminated
     */
    record Comparison(long plainTokens, Path agentSamples, long agentTokens, BigDecimal agentSandboxCost,
            long sandboxes, long sandboxesTerminated) {}

    private final PrintWriter out;
    private final String kind;
    private final boolean json;

    /** @param kind the sandbox's name, for instance {@code local} */
    EvalReportPrinter(PrintWriter out, String kind, boolean json) {
        this.out = out;
        this.kind = kind;
        this.json = json;
    }

    /**
     * @param agentReport the agent samples' report, {@code null} when they were not evaluated
     * @param comparison {@code null} without {@code --agent}
     */
    void print(EvaluationReport report, @Nullable EvaluationReport agentReport, @Nullable Comparison comparison) {
        if (json) {
            ObjectNode node = json(report);
            if (comparison != null) {
                node.put("model_tokens", comparison.plainTokens());
                ObjectNode agentNode = agentReport == null ? JsonNodeFactory.instance.objectNode() : json(agentReport);
                node.set("agent", agentNode);
                agentNode.put("samples_file", comparison.agentSamples().toString());
                agentNode.put("model_tokens", comparison.agentTokens());
                agentNode.put("sandbox_cost_usd", comparison.agentSandboxCost());
                agentNode.put("sandboxes_used", comparison.sandboxes());
                agentNode.put("sandboxes_terminated", comparison.sandboxesTerminated());
                ArrayNode modes = node.putArray("comparison");
                modes.add(row("plain", report, comparison.plainTokens(), BigDecimal.ZERO));
                modes.add(row("agent", agentReport, comparison.agentTokens(), comparison.agentSandboxCost()));
            }
            out.println(node);
            out.flush();
            return;
        }
        printText(report);
        if (comparison != null) {
            if (agentReport != null) {
                out.println();
                out.println("agent samples (" + comparison.agentSamples() + "):");
                printText(agentReport);
            }
            out.println();
            out.println("plain vs agent (tokens and sandbox $ of this run's generation):");
            out.printf(Locale.ROOT, "  %-6s  %-7s  %12s  %10s  %10s%n", "mode", "pass@1", "model tokens", "sandbox $", "eval $");
            out.println(tableRow("plain", report, comparison.plainTokens(), BigDecimal.ZERO));
            out.println(tableRow("agent", agentReport, comparison.agentTokens(), comparison.agentSandboxCost()));
        }
        out.flush();
    }

    /** pass@1 even when --k leaves 1 out: with n samples for every task it is the share that passed. */
    private static @Nullable Double pass1(@Nullable EvaluationReport report) {
        if (report == null || report.samples() == 0) {
            return null;
        }
        Double pass1 = report.passAtK().get(1);
        return pass1 != null ? pass1 : (double) report.passed() / report.samples();
    }

    private static String tableRow(String mode, @Nullable EvaluationReport report, long tokens, BigDecimal sandboxCost) {
        Double pass1 = pass1(report);
        return String.format(Locale.ROOT, "  %-6s  %-7s  %12d  %10s  %10s", mode,
                pass1 == null ? "-" : String.format(Locale.ROOT, "%.4f", pass1), tokens, Usdc.format(sandboxCost),
                report == null ? "-" : Usdc.format(report.cost()));
    }

    private static ObjectNode row(String mode, @Nullable EvaluationReport report, long tokens, BigDecimal sandboxCost) {
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

    private ObjectNode json(EvaluationReport report) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("results", report.results().toString());
        summaryPage(report).ifPresent(page -> node.put("summary", page.toString()));
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

    private void printText(EvaluationReport report) {
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
                : Usdc.format(report.cost()) + " on " + kind + ", " + Usdc.format(report.costPerSample())
                        + " per sample"));
        out.println("results: " + report.results());
        summaryPage(report).ifPresent(page -> out.println("summary: " + page));
        if (!report.complete()) {
            out.println("stopped: " + report.stoppedBecause() + ". Run the same command again to continue.");
        }
    }

    /** The HTML page written next to the results ({@code _results.html}), when it was written. */
    private static Optional<Path> summaryPage(EvaluationReport report) {
        String name = report.results().getFileName().toString();
        Path page = report.results().resolveSibling(name.replaceFirst("\\.jsonl$", "") + ".html");
        return Files.isRegularFile(page) ? Optional.of(page) : Optional.empty();
    }
}
