package io.sandbox402.tools;

import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.x402.PaymentException;
import io.sandbox402.x402.PaymentRefusedException;
import io.sandbox402.x402.Usdc;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tool results as the model reads them: labeled plain text, long output cut to its head and tail
 * with the number of bytes dropped, and failures written as results the model can act on.
 */
final class ToolResults {
    /** Enough output for a model to read, small enough not to flood its context. */
    static final int MAX_OUTPUT_CHARS = 8_000;

    private ToolResults() {}

    static String exec(String sandboxId, ExecResult result, SandboxSessions sessions, Object memoryId) {
        return exec(sandboxId, result, sessions, memoryId, -1);
    }

    /** With {@code polls} of a background run ({@code -1} for a single exec). */
    static String exec(String sandboxId, ExecResult result, SandboxSessions sessions, Object memoryId, int polls) {
        StringBuilder text = new StringBuilder();
        text.append("sandbox_id: ").append(sandboxId).append('\n');
        text.append("exit_code: ").append(result.exitCode());
        if (result.timedOut()) {
            text.append(" (timed out: the command ran too long and was stopped)");
        }
        text.append('\n');
        text.append("duration: ").append(String.format(Locale.ROOT, "%.2f s", result.duration().toMillis() / 1000.0)).append('\n');
        if (polls >= 0) {
            text.append("ran_in_background: yes, ").append(polls).append(polls == 1 ? " poll" : " polls")
                    .append(sessions.paid() ? " (each a paid exec)" : "").append('\n');
        }
        if (sessions.paid()) {
            text.append("cost: ").append(usd(result.cost())).append(" (session total ").append(usd(sessions.spent())).append(")\n");
        }
        text.append("runs_left: ").append(sessions.remainingExecs(memoryId)).append('\n');
        text.append("stdout:\n").append(output(result.stdout(), "nothing was printed")).append('\n');
        text.append("stderr:\n").append(output(result.stderr(), "empty"));
        return text.toString();
    }

    static String output(String text, String whenEmpty) {
        if (text.isEmpty()) {
            return "(" + whenEmpty + ")";
        }
        if (text.length() <= MAX_OUTPUT_CHARS) {
            return text;
        }
        int half = MAX_OUTPUT_CHARS / 2;
        String head = text.substring(0, half);
        String tail = text.substring(text.length() - half);
        int dropped = text.substring(half, text.length() - half).getBytes(StandardCharsets.UTF_8).length;
        return head + "\n... [" + dropped + " bytes dropped] ...\n" + tail;
    }

    /** A failure as a result: what went wrong and what the model can do. */
    static String failure(RuntimeException e) {
        if (e instanceof ToolLimitException) {
            return "LIMIT: " + e.getMessage();
        }
        if (e instanceof PaymentRefusedException) {
            return "PAYMENT REFUSED (budget): " + e.getMessage()
                    + " Do not retry; answer with what you have, and say the budget was reached.";
        }
        if (e instanceof PaymentException) {
            return "PAYMENT FAILED: " + e.getMessage();
        }
        if (e instanceof io.sandbox402.sandbox.blockrun.BlockRunPaymentException
                || e instanceof io.sandbox402.sandbox.blockrun.SettlementFailedException) {
            return "PAYMENT FAILED: " + e.getMessage();
        }
        if (e instanceof io.sandbox402.sandbox.SandboxLimitException) {
            return "LIMIT: " + e.getMessage();
        }
        if (e instanceof SandboxException) {
            return "SANDBOX ERROR: " + e.getMessage();
        }
        if (e instanceof IllegalArgumentException) {
            return "INVALID ARGUMENT: " + e.getMessage();
        }
        return "ERROR: " + e;
    }

    static String usd(BigDecimal usd) {
        return Usdc.format(usd);
    }
}
