package io.sandbox402.tools;

import io.sandbox402.sandbox.ExecResult;
import org.jspecify.annotations.Nullable;

/**
 * Sees each run of the tools, for progress reports and step records. Called on the tool's thread.
 *
 * <p>Called on the threads that run tools, possibly several at once: implementations must be thread-safe.
 */
public interface CodeRunListener {

    /**
     * A run is about to start.
     *
     * @param memoryId the conversation (LangChain4j's memory id); null for an assistant without chat memory
     * @param tool the tool that runs it, for instance {@code run_code}
     * @param language {@code python}, {@code javascript}, {@code bash} or {@code shell}
     * @param code what will run
     */
    default void started(@Nullable Object memoryId, String tool, String language, String code) {}

    /**
     * A run finished with {@code result}.
     *
     * @param memoryId the conversation (LangChain4j's memory id); null for an assistant without chat memory
     * @param tool the tool that ran it, for instance {@code run_code}
     * @param language {@code python}, {@code javascript}, {@code bash} or {@code shell}
     * @param code what ran
     * @param sandboxId where it ran
     * @param result what the sandbox answered: output, exit code, duration, cost
     */
    default void finished(@Nullable Object memoryId, String tool, String language, String code, String sandboxId, ExecResult result) {}

    /**
     * A cell of the stateful Python session finished, after {@link #finished}: its value, error and the files
     * it created or changed (figures among them), for instance to download them with {@code Sandbox.readFile}.
     *
     * @param memoryId the conversation (LangChain4j's memory id); null for an assistant without chat memory
     * @param cell the cell's value, error and files
     */
    default void cellFinished(@Nullable Object memoryId, CellResult cell) {}
}
