package io.sandbox402.agent.cli;

import io.sandbox402.eval.Estimate;
import io.sandbox402.eval.EvaluationListener;
import io.sandbox402.eval.Progress;
import io.sandbox402.x402.Usdc;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * An evaluation's estimate and progress on standard error: first the estimate (samples, batches,
 * the cost range and the budget), then one rewritten line on a terminal, plain lines at most every
 * 5 s otherwise (a log need not hold every sample). Used by one evaluation's thread at a time.
 */
final class EvalProgressPrinter implements EvaluationListener {
    /** Between two progress lines when the output is not a terminal: a line per sample would flood a log. */
    private static final long PLAIN_LINE_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final String kind;
    private final BigDecimal budget;
    private long doneAtStart;
    private long lastPrinted;

    /**
     * @param kind the sandbox's name, for instance {@code local}
     * @param budget the --max-cost this evaluation stops at, or {@code null}
     */
    EvalProgressPrinter(PrintWriter err, boolean terminal, String kind, BigDecimal budget) {
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
            line.append("; estimated cost ").append(Usdc.format(estimate.minCost())).append(" (every sample quick) to ")
                    .append(Usdc.format(estimate.maxCost())).append(" (every sample timing out)");
        }
        if (budget != null) {
            line.append("; stops at --max-cost ").append(Usdc.format(budget));
        }
        err.println(line);
        err.flush();
    }

    @Override
    public void progressed(Progress progress) {
        long now = System.nanoTime();
        boolean last = progress.done() == progress.total();
        if (!terminal && !last && now - lastPrinted < PLAIN_LINE_INTERVAL_NANOS) {
            return;
        }
        lastPrinted = now;
        Duration eta = progress.eta(doneAtStart);
        String line = String.format(Locale.ROOT, "%d/%d samples, %.1f%% passed, %s, %d sandbox%s%s",
                progress.done(), progress.total(), 100 * progress.passRate(), Usdc.format(progress.spent()),
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
