package io.sandbox402.tools;

import io.sandbox402.sandbox.ExecResult;
import java.time.Duration;
import java.util.Locale;

/**
 * A {@link CellResult} as the model reads it: the same labeled lines as any run ({@code exit_code},
 * {@code stdout}, {@code stderr}), then the cell's value, its error with a short traceback and a hint,
 * and the files it created or changed.
 */
final class CellResultText {
    static final String RESTARTED = "The Python session was restarted: variables from earlier cells are gone.";

    private CellResultText() {}

    static int exitCode(CellResult cell) {
        if (cell.timedOut()) {
            return ExecResult.TIMEOUT_EXIT_CODE;
        }
        if (cell.sessionEnded()) {
            return 137;
        }
        return cell.error() == null ? 0 : 1;
    }

    /** The cell as an {@link ExecResult}, for listeners that know only runs. */
    static ExecResult asExec(CellResult cell) {
        String stderr = cell.stderr();
        if (cell.error() != null) {
            stderr += (stderr.isEmpty() || stderr.endsWith("\n") ? "" : "\n") + cell.error().traceback();
        }
        return new ExecResult(cell.stdout(), stderr, exitCode(cell), cell.duration(), cell.cost(), cell.timedOut(), false);
    }

    static String text(CellResult cell, Duration timeout, SandboxSessions sessions, Object memoryId) {
        StringBuilder text = new StringBuilder();
        text.append("sandbox_id: ").append(cell.sandboxId()).append('\n');
        text.append("session: stateful python");
        if (cell.executionCount() > 0) {
            text.append(", cell ").append(cell.executionCount());
        }
        text.append(" (variables, imports and definitions persist between python calls)\n");
        if (cell.restarted()) {
            text.append("note: ").append(RESTARTED).append('\n');
        }
        text.append("exit_code: ").append(exitCode(cell));
        if (cell.timedOut()) {
            text.append(" (timed out after ").append(timeout.toSeconds()).append(" s: the cell was interrupted")
                    .append(cell.sessionEnded()
                            ? " and did not stop, so the Python session was ended; variables from earlier cells are gone)"
                            : " with KeyboardInterrupt; the session and its variables are kept)");
        } else if (cell.sessionEnded()) {
            text.append(" (the Python session ended while running this cell: os._exit, a crash or running out of memory."
                    + " Its variables are gone; the next python call starts a new session)");
        } else if (cell.error() != null) {
            text.append(" (the cell raised ").append(cell.error().type()).append(')');
        }
        text.append('\n');
        text.append("duration: ").append(String.format(Locale.ROOT, "%.2f s", cell.duration().toMillis() / 1000.0)).append('\n');
        if (cell.polls() > 0) {
            text.append("ran_in_background: yes, ").append(cell.polls()).append(cell.polls() == 1 ? " poll" : " polls")
                    .append(sessions.paid() ? " (each a paid exec)" : "").append('\n');
        }
        if (sessions.paid()) {
            text.append("cost: ").append(ToolResults.usd(cell.cost())).append(" (session total ")
                    .append(ToolResults.usd(sessions.spent())).append(")\n");
        }
        text.append("runs_left: ").append(sessions.remainingExecs(memoryId)).append('\n');
        text.append("stdout:\n").append(ToolResults.output(cell.stdout(), "nothing was printed")).append('\n');
        text.append("stderr:\n").append(ToolResults.output(cell.stderr(), "empty"));
        if (cell.value() != null) {
            text.append("\nvalue:\n").append(ToolResults.output(cell.value(), "empty"));
        }
        if (cell.error() != null) {
            text.append("\nerror:\n").append(ToolResults.output(cell.error().traceback(), "no traceback"));
            if (cell.error().type().equals("ModuleNotFoundError")) {
                text.append("\nhint: the module is not installed in this sandbox. Install it with install_packages"
                        + " (for instance [\"matplotlib\"]), then run the cell again; the session keeps its variables.");
            }
        }
        if (!cell.files().isEmpty()) {
            text.append("\nfiles:");
            for (CellResult.File file : cell.files()) {
                text.append("\n- ").append(file.path()).append(" (").append(file.size()).append(" bytes, ")
                        .append(file.created() ? "new" : "changed").append(file.figure() ? ", figure" : "").append(')');
            }
        }
        return text.toString();
    }
}
