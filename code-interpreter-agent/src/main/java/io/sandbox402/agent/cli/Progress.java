package io.sandbox402.agent.cli;

import io.sandbox402.agent.CodeInterpreterListener;
import io.sandbox402.agent.Step;
import io.sandbox402.x402.PaymentRefusedException;
import io.sandbox402.x402.Usdc;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Each step of {@code ask} as it happens, on standard error: what the model said, the code, what
 * the program printed (a few lines of each stream, with a count of what was cut), its exit code,
 * its time and the money spent so far; or the failure that kept it from running.
 */
final class Progress implements CodeInterpreterListener {
    /** Enough to recognize the output; the whole of it is in --json and in what the model read. */
    static final int SHOWN_LINES = 8;

    private final PrintWriter out;
    private final boolean paid;
    private volatile int steps;

    Progress(PrintWriter out, boolean paid) {
        this.out = out;
        this.paid = paid;
    }

    int steps() {
        return steps;
    }

    @Override
    public void modelSaid(String text) {
        text.lines().forEach(line -> out.println("   » " + line));
        out.flush();
    }

    @Override
    public void stepStarted(int number, String language, String code) {
        out.println("── step " + number + " (" + language + ")");
        code.lines().forEach(line -> out.println("   " + line));
        out.flush();
    }

    @Override
    public void stepFinished(Step step, BigDecimal spent) {
        steps = step.number();
        show("stdout", step.stdout());
        show("stderr", step.stderr());
        out.println("   → exit " + step.exitCode() + (step.timedOut() ? " (timed out)" : "")
                + String.format(Locale.ROOT, " in %.2f s", step.duration().toMillis() / 1000.0)
                + (paid ? ", " + Usdc.format(spent) + " so far" : ""));
        out.flush();
    }

    @Override
    public void stepFailed(int number, RuntimeException failure, BigDecimal spent) {
        String what = failure instanceof PaymentRefusedException ? "payment refused" : "sandbox failed";
        out.println("   ✗ step " + number + ": " + what + ": " + Secrets.mask(failure.getMessage())
                + (paid ? " (" + Usdc.format(spent) + " so far)" : ""));
        out.flush();
    }

    private void show(String name, String text) {
        if (text.isEmpty()) {
            return;
        }
        List<String> lines = text.lines().toList();
        out.println("   " + name + ":");
        lines.stream().limit(SHOWN_LINES).forEach(line -> out.println("   │ " + line));
        if (lines.size() > SHOWN_LINES) {
            int cut = lines.size() - SHOWN_LINES;
            out.println("   │ … " + cut + " more line" + (cut == 1 ? "" : "s"));
        }
    }

    static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
