package io.sandbox402.tools;

import static io.sandbox402.internal.Checks.ensureNotNull;
import static io.sandbox402.internal.Checks.ensurePositive;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import io.sandbox402.sandbox.BackgroundCommand;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A code interpreter for an AI service: run code, write and read files, install packages. Each
 * conversation (its {@code @MemoryId}) gets its own sandbox, created on first use and reused, so
 * state persists between calls; {@link SandboxSessions} terminates it when the conversation closes.
 * Python runs as the cells of a notebook ({@link #stateful()}): variables, imports and definitions
 * persist between calls, the last expression's value is shown, and each result lists the files the cell
 * created or changed (a {@link CellResult} for {@link CodeRunListener#cellFinished}); JavaScript and bash
 * run each call as a fresh process. Failures, limits and refused payments come back as results the
 * model can act on.
 *
 * <pre>{@code
 * interface Assistant { String chat(@MemoryId String conversation, @UserMessage String message); }
 *
 * Assistant assistant = AiServices.builder(Assistant.class)
 *         .chatModel(model)
 *         .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(40))
 *         .tools(new CodeInterpreterTools(sessions))
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe: it keeps no state of its own; each conversation's state is in {@link SandboxSessions}.
 */
public final class CodeInterpreterTools {
    private final SandboxSessions sessions;
    private final CodeRunListener listener;
    private final PythonKernel kernel = new PythonKernel();

    /**
     * Tools that report to no listener.
     *
     * @param sessions the conversations' sandboxes and limits; the caller closes it
     */
    public CodeInterpreterTools(SandboxSessions sessions) {
        this(sessions, new CodeRunListener() {});
    }

    /**
     * Tools that report each run to {@code listener}.
     *
     * @param sessions the conversations' sandboxes and limits; the caller closes it
     * @param listener sees each run; thread-safe
     */
    public CodeInterpreterTools(SandboxSessions sessions, CodeRunListener listener) {
        this.sessions = ensureNotNull(sessions, "sessions");
        this.listener = ensureNotNull(listener, "listener");
    }

    /**
     * The {@code run_code} tool: runs a program in the conversation's sandbox, python as the next cell of its
     * session when {@link #stateful()}. A timeout above one exec's limit runs in the background and is polled.
     *
     * @param memoryId the conversation (its {@code @MemoryId}); null for an assistant without chat memory
     * @param language {@code python}, {@code javascript} or {@code bash}
     * @param code the whole program
     * @param timeoutSeconds whole seconds, at least 1; null for the sandbox's default
     * @return the result for the model; failures, limits and refused payments are reported here, not thrown
     */
    @Tool(name = "run_code", value = {
            "Runs a program in your sandbox and returns its exit code, stdout and stderr.",
            "Use it to compute, test or check anything instead of guessing; answer from its real output.",
            "The program MUST print what you need to see: only printed output comes back.",
            "Files and installed packages persist between calls in this conversation.",
            "When the result says 'session: stateful python', python runs as notebook cells: variables, imports and"
                    + " definitions persist between python calls and the last expression's value is shown.",
            "Each call is one run of your limited budget; on a paid sandbox it is paid, and the result reports its cost."})
    public String runCode(
            @ToolMemoryId @Nullable Object memoryId,
            @P("The language: python, javascript or bash.") String language,
            @P("The complete program to run. It MUST print its results.") String code,
            @P(name = "timeout_seconds", value = "How long it may run, in seconds. Omit for the sandbox's default. A longer"
                    + " run than one exec allows runs in the background and is polled; each poll is paid on a paid sandbox.",
                    required = false) @Nullable Integer timeoutSeconds) {
        try {
            Language parsed = Language.parse(ensureNotNull(language, "language"));
            ensureNotNull(code, "code");
            String name = parsed.name().toLowerCase();
            Duration timeout = timeoutSeconds == null ? null : Duration.ofSeconds(positive(timeoutSeconds));
            if (parsed == Language.PYTHON && stateful()) {
                return runCell(memoryId, code, timeout);
            }
            return run(memoryId, "run_code", name, code, sandbox -> {
                if (timeout == null || timeout.compareTo(sandbox.limits().maxExecTimeout()) <= 0) {
                    return new Run(sandbox.runCode(parsed, code, timeout), -1);
                }
                String file = ".sandbox402/run-" + Long.toHexString(System.nanoTime()) + "." + parsed.extension();
                sandbox.writeFile(file, code.getBytes(StandardCharsets.UTF_8));
                return background(sandbox, new ExecRequest(List.of(parsed.interpreter(), file), timeout));
            });
        } catch (RuntimeException e) {
            return ToolResults.failure(e);
        }
    }

    /**
     * Whether python code runs in a stateful session (variables persist between calls), as set by
     * {@link SandboxSessions.Builder#statefulPython(boolean)}: for a system prompt that tells the model.
     *
     * @return {@code true} when python cells share one session per sandbox
     */
    public boolean stateful() {
        return sessions.statefulPython();
    }

    /** Runs {@code code} as the next cell of the conversation's Python session. */
    private String runCell(Object memoryId, String code, Duration timeout) {
        sessions.countExec(memoryId);
        Sandbox sandbox = sessions.sandbox(memoryId);
        listener.started(memoryId, "run_code", "python", code);
        CellResult cell;
        try {
            cell = kernel.execute(memoryId, sandbox, code, timeout);
        } catch (SandboxException e) {
            if (sessions.forgetIfGone(memoryId, sandbox)) {
                kernel.forget(sandbox);
                throw new SandboxException(e.getMessage() + " The sandbox is gone (terminated or timed out); the next"
                        + " call creates a new one, without the old one's files, packages and Python variables.", e);
            }
            throw e;
        }
        listener.finished(memoryId, "run_code", "python", code, sandbox.id(), CellResultText.asExec(cell));
        listener.cellFinished(memoryId, cell);
        Duration used = timeout != null ? timeout : PythonKernel.defaultTimeout(sandbox.limits());
        return CellResultText.text(cell, used, sessions, memoryId);
    }

    /**
     * {@link #runCode(Object, String, String, Integer)} with the sandbox's default timeout.
     *
     * @param memoryId the conversation (its {@code @MemoryId}); null for an assistant without chat memory
     * @param language {@code python}, {@code javascript} or {@code bash}
     * @param code the whole program
     * @return the result for the model; failures, limits and refused payments are reported here, not thrown
     */
    public String runCode(@Nullable Object memoryId, String language, String code) {
        return runCode(memoryId, language, code, null);
    }

    /** Runs {@code request} in the background and waits for it, reporting the paid polls. */
    static Run background(Sandbox sandbox, ExecRequest request) {
        BackgroundCommand command = sandbox.start(request);
        ExecResult result = command.await(request.timeout().plus(Duration.ofSeconds(10)));
        return new Run(result, command.polls());
    }

    /** A result and the polls it took, or -1 when it ran as one exec. */
    record Run(ExecResult result, int polls) {}

    /** The model's {@code timeout_seconds}, named as the model knows it. */
    static int positive(int seconds) {
        return ensurePositive(seconds, "timeout_seconds");
    }

    /**
     * The {@code write_file} tool: writes UTF-8 text to the conversation's sandbox, creating directories.
     *
     * @param memoryId the conversation (its {@code @MemoryId}); null for an assistant without chat memory
     * @param path relative to the sandbox's working directory, or absolute
     * @param content the whole file
     * @return what was written where, or the failure
     */
    @Tool(name = "write_file", value = {
            "Writes a text file in your sandbox (relative paths are in the working directory), creating directories.",
            "Use it for data files or multi-file programs; the file persists in this conversation."})
    public String writeFile(
            @ToolMemoryId @Nullable Object memoryId,
            @P("The path, for instance data/input.csv") String path,
            @P("The whole content of the file") String content) {
        try {
            ensureNotNull(content, "content");
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            sessions.countExec(memoryId);
            Sandbox sandbox = sessions.sandbox(memoryId);
            sandbox.writeFile(ensureNotNull(path, "path"), bytes);
            return "Wrote " + bytes.length + " bytes to " + path + " in sandbox " + sandbox.id() + ".";
        } catch (RuntimeException e) {
            return ToolResults.failure(e);
        }
    }

    /**
     * The {@code read_file} tool: reads a text file from the conversation's sandbox.
     *
     * @param memoryId the conversation (its {@code @MemoryId}); null for an assistant without chat memory
     * @param path relative to the sandbox's working directory, or absolute
     * @return the content as UTF-8, long files cut to head and tail, or the failure
     */
    @Tool(name = "read_file", value = {
            "Reads a text file from your sandbox, for instance one your program wrote. Long files are cut to head and tail."})
    public String readFile(
            @ToolMemoryId @Nullable Object memoryId,
            @P("The path of the file") String path) {
        try {
            sessions.countExec(memoryId);
            byte[] bytes = sessions.sandbox(memoryId).readFile(ensureNotNull(path, "path"));
            return ToolResults.output(new String(bytes, StandardCharsets.UTF_8), "the file is empty");
        } catch (RuntimeException e) {
            return ToolResults.failure(e);
        }
    }

    /**
     * The {@code install_packages} tool: installs Python packages with pip in the conversation's sandbox.
     *
     * @param memoryId the conversation (its {@code @MemoryId}); null for an assistant without chat memory
     * @param packages pip requirements, for instance {@code pandas==2.2.3}
     * @return the result for the model; failures, limits and refused payments are reported here, not thrown
     */
    @Tool(name = "install_packages", value = {
            "Installs Python packages with pip in your sandbox; they stay installed in this conversation.",
            "Only install what the standard library cannot do. It may take minutes; on a paid sandbox its waiting is paid too."})
    public String installPackages(
            @ToolMemoryId @Nullable Object memoryId,
            @P("Package names, optionally with versions, for instance [\"numpy\", \"pandas==2.2.3\"]") List<String> packages) {
        try {
            ensureNotNull(packages, "packages");
            return run(memoryId, "install_packages", "pip", String.join(" ", packages),
                    sandbox -> new Run(sandbox.install(packages), -1));
        } catch (RuntimeException e) {
            return ToolResults.failure(e);
        }
    }

    private String run(Object memoryId, String tool, String language, String code,
            java.util.function.Function<Sandbox, Run> action) {
        sessions.countExec(memoryId);
        Sandbox sandbox = sessions.sandbox(memoryId);
        listener.started(memoryId, tool, language, code);
        Run run;
        try {
            run = action.apply(sandbox);
        } catch (SandboxException e) {
            if (sessions.forgetIfGone(memoryId, sandbox)) {
                throw new SandboxException(e.getMessage() + " The sandbox is gone (terminated or timed out); the next"
                        + " call creates a new one, without the old one's files and packages.", e);
            }
            throw e;
        }
        listener.finished(memoryId, tool, language, code, sandbox.id(), run.result());
        return ToolResults.exec(sandbox.id(), run.result(), sessions, memoryId, run.polls());
    }
}
