package io.sandbox402.tools;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one cell of the stateful Python session did, as a notebook shows it: its output, the value of
 * its last expression, its error with a traceback of the cell's own lines, and the files it created or
 * changed in the working directory (figures among them), so a caller can download them.
 *
 * <pre>{@code
 * new CodeInterpreterTools(sessions, new CodeRunListener() {
 *     public void cellFinished(Object memoryId, CellResult cell) {
 *         cell.files().stream().filter(CellResult.File::figure)
 *                 .forEach(file -> download(cell.sandboxId(), file.path()));
 *     }
 * });
 * }</pre>
 *
 * <p>Immutable, so thread-safe.
 *
 * @param sandboxId the sandbox the cell ran in
 * @param executionCount the cell's number in its session ({@code <cell 3>} in tracebacks), 0 when unknown
 * @param stdout what the cell printed
 * @param stderr what it printed on the error stream
 * @param value the {@code repr} of its last expression's value, or {@code null} when it has none
 * @param error what it raised, or {@code null}
 * @param files the files it created or changed in the working directory, paths relative to it
 * @param restarted whether the session was started anew before this cell, so earlier variables are gone
 * @param sessionEnded whether the session ended during this cell (killed, crashed or out of memory)
 * @param timedOut whether the cell ran past its timeout and was interrupted
 * @param polls the execs that waited for a cell longer than one exec, after the one that sent it
 * @param duration how long the cell took, as the caller saw it
 * @param cost what its execs cost in US dollars
 */
public record CellResult(
        String sandboxId,
        int executionCount,
        String stdout,
        String stderr,
        @Nullable String value,
        @Nullable Error error,
        List<File> files,
        boolean restarted,
        boolean sessionEnded,
        boolean timedOut,
        int polls,
        Duration duration,
        BigDecimal cost) {

    /**
     * Copies the files, so the result is immutable.
     *
     * @param sandboxId the sandbox the cell ran in
     * @param executionCount the cell's number in its session ({@code <cell 3>} in tracebacks), 0 when unknown
     * @param stdout what the cell printed
     * @param stderr what it printed on the error stream
     * @param value the {@code repr} of its last expression's value, or {@code null} when it has none
     * @param error what it raised, or {@code null}
     * @param files the files it created or changed in the working directory, paths relative to it
     * @param restarted whether the session was started anew before this cell, so earlier variables are gone
     * @param sessionEnded whether the session ended during this cell (killed, crashed or out of memory)
     * @param timedOut whether the cell ran past its timeout and was interrupted
     * @param polls the execs that waited for a cell longer than one exec, after the one that sent it
     * @param duration how long the cell took, as the caller saw it
     * @param cost what its execs cost in US dollars
     */
    public CellResult {
        files = List.copyOf(files);
    }

    /** {@return whether the cell ran to its end without an error} */
    public boolean succeeded() {
        return error == null && !sessionEnded && !timedOut;
    }

    /**
     * An exception a cell raised. Immutable, so thread-safe.
     *
     * @param type its class, for instance {@code ZeroDivisionError}
     * @param message its message
     * @param traceback the traceback, the kernel's own frames left out
     */
    public record Error(String type, String message, String traceback) {}

    /**
     * A file a cell created or changed. Immutable, so thread-safe.
     *
     * @param path its path relative to the working directory, for instance {@code outputs/cell-2-figure-1.png}
     * @param size its size in bytes
     * @param created whether it is new (else it changed)
     * @param figure whether it is a matplotlib figure the session saved for the cell
     */
    public record File(String path, long size, boolean created, boolean figure) {}
}
