package io.sandbox402.agent.cli;

import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.tools.CodeInterpreterTools;
import io.sandbox402.tools.CodeRunListener;
import io.sandbox402.tools.SandboxSessions;
import io.sandbox402.x402.Usdc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * An interactive session: each line goes to the model, which may run code in one sandbox kept
 * across turns. Lines starting with '/' are commands. Ctrl-C cancels the running turn, not the
 * chat; the sandbox is terminated when the chat ends. On a terminal the line is edited with JLine,
 * with a history (Up, Ctrl-R) kept in {@code ~/.sandbox402/chat_history}; otherwise (piped input)
 * lines are read as they come.
 */
@Command(name = "chat", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Talk with the code interpreter; one sandbox is kept across turns.",
                "Commands: /cost, /files, /get FILE, /reset, /quit. Ctrl-C cancels the running turn;"
                        + " Ctrl-D leaves.",
                "On a terminal: line editing and history (Up, Ctrl-R), saved in the file"
                        + " ~/.sandbox402/chat_history or $" + ChatCommand.HISTORY_VARIABLE + "."})
final class ChatCommand implements Callable<Integer> {
    static final String CONVERSATION = "chat";
    static final String HISTORY_VARIABLE = "SANDBOX402_CHAT_HISTORY";
    private static final String PROMPT = "you> ";
    private static final String HINT = "(Ctrl-C cancels a running turn; /quit leaves)";

    interface Assistant {
        @SystemMessage("You are a code interpreter with a sandbox. Run code with run_code (python, javascript or bash)"
                + " to compute or check anything instead of guessing, and answer from its output. Files persist"
                + " between turns.")
        String chat(@MemoryId String conversation, @UserMessage String message);
    }

    private final Environment env;
    private final InputStream stdin;

    @Spec
    CommandSpec spec;

    @Mixin
    SandboxOptions sandboxOptions;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "10", description = "Runs per turn. Default: ${DEFAULT-VALUE}")
    int maxSteps;

    @Option(names = "--file", paramLabel = "PATH", description = "An input file, uploaded to the sandbox before the first turn (repeatable).")
    List<Path> files;

    ChatCommand(Environment env, InputStream stdin) {
        this.env = env;
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxSteps <= 0) {
            throw new UsageException("--max-steps must be at least 1, was " + maxSteps + ".");
        }
        ModelServer model = modelOptions.build(env, err);
        Map<String, byte[]> inputs = InputFiles.read(files); // before any sandbox is created or paid
        ExecutorService turns = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chat-turn");
            thread.setDaemon(true);
            return thread;
        });
        AtomicReference<Future<?>> running = new AtomicReference<>();
        Runnable interrupt = () -> {
            Future<?> turn = running.get();
            if (turn != null) {
                turn.cancel(true);
            } else {
                err.println();
                err.println(HINT);
                err.flush();
            }
        };
        Object previous = Interrupts.cancelOnInterrupt(interrupt);
        try (SandboxSetup setup = sandboxOptions.open(env); Lines in = lines(out, interrupt)) {
            SandboxSessions.Builder builder = SandboxSessions.builder().provider(setup.provider()).defaultSpec(setup.spec())
                    .maxSandboxesPerConversation(100).maxExecsPerConversation(1_000_000);
            if (setup.paid()) {
                builder.ledger(setup.ledger());
            }
            try (SandboxSessions sessions = builder.build()) {
                ChatMemory memory = MessageWindowChatMemory.withMaxMessages(200);
                Assistant assistant = AiServices.builder(Assistant.class)
                        .chatModel(model)
                        .chatMemoryProvider(id -> memory)
                        .tools(new CodeInterpreterTools(sessions, progress(err)))
                        .maxToolCallingRoundTrips(maxSteps)
                        .build();
                out.println("code-interpreter chat on the " + setup.kind() + " sandbox. /quit leaves.");
                String note = upload(sessions, inputs, out);
                while (true) {
                    String line;
                    try {
                        line = in.read();
                    } catch (UserInterruptException e) { // Ctrl-C at the prompt: the line is dropped, the chat goes on
                        err.println(HINT);
                        err.flush();
                        continue;
                    }
                    if (line == null || line.strip().equals("/quit")) {
                        break;
                    }
                    line = line.strip();
                    if (line.isEmpty()) {
                        continue;
                    }
                    if (line.startsWith("/")) {
                        command(line, sessions, memory, setup, out);
                        if (line.split("\\s+")[0].equals("/reset")) {
                            note = upload(sessions, inputs, out);
                        }
                        continue;
                    }
                    String message = note.isEmpty() ? line : line + note;
                    note = "";
                    Future<String> turn = turns.submit(() -> assistant.chat(CONVERSATION, message));
                    running.set(turn);
                    try {
                        out.println("assistant> " + turn.get());
                    } catch (CancellationException e) {
                        out.println("(cancelled)");
                    } catch (ExecutionException e) {
                        out.println("error: " + Failures.message(e.getCause()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    } finally {
                        running.set(null);
                    }
                    out.flush();
                }
            }
            out.println();
            out.println("[chat ended, " + (setup.paid() ? Usdc.format(SandboxSetup.cost(setup.payments())) + " spent"
                    : "free " + setup.kind() + " sandbox") + "; the sandbox was terminated]");
            out.flush();
            return 0;
        } finally {
            turns.shutdownNow();
            Interrupts.restore(previous);
        }
    }

    /**
     * Writes the {@code --file} inputs to the sandbox; returns the note the next message tells the model
     * (the same words as {@code ask}), or "" when there are none.
     */
    private static String upload(SandboxSessions sessions, Map<String, byte[]> inputs, PrintWriter out) {
        if (inputs.isEmpty()) {
            return "";
        }
        var sandbox = sessions.sandbox(CONVERSATION);
        inputs.forEach(sandbox::writeFile);
        StringBuilder note = new StringBuilder("\n\nInput files, already in the sandbox's working directory:");
        inputs.forEach((name, content) -> note.append("\n- ").append(name).append(" (").append(content.length).append(" bytes)"));
        out.println("(uploaded " + String.join(", ", inputs.keySet()) + ")");
        out.flush();
        return note.toString();
    }

    /** Where the lines come from: JLine on a terminal, else the plain lines of standard input. */
    private Lines lines(PrintWriter out, Runnable interrupt) throws IOException {
        if (stdin == System.in && System.console() != null) {
            Terminal terminal = TerminalBuilder.builder().system(true).build();
            if (!Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                // The terminal took SIGINT over: while no line is read it goes to the interrupt handler
                // (cancels the turn); while a line is read the reader makes it a UserInterruptException.
                terminal.handle(Terminal.Signal.INT, signal -> interrupt.run());
                LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("code-interpreter");
                Path history = historyFile();
                if (history != null) {
                    builder.variable(LineReader.HISTORY_FILE, history);
                }
                LineReader reader = builder.build();
                return new Lines() {
                    @Override
                    public String read() {
                        try {
                            return reader.readLine(PROMPT);
                        } catch (EndOfFileException e) {
                            return null;
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        terminal.close();
                    }
                };
            }
            terminal.close();
        }
        BufferedReader plain = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        return new Lines() {
            @Override
            public String read() throws IOException {
                out.print(PROMPT);
                out.flush();
                return plain.readLine();
            }

            @Override
            public void close() {
                // standard input is not ours to close
            }
        };
    }

    private Path historyFile() {
        try {
            String given = env.variables().get(HISTORY_VARIABLE);
            Path file = given != null && !given.isBlank() ? Path.of(given)
                    : Path.of(System.getProperty("user.home"), ".sandbox402", "chat_history");
            Files.createDirectories(file.toAbsolutePath().getParent());
            return file;
        } catch (RuntimeException | IOException e) {
            return null; // the history stays in memory
        }
    }

    /** The lines typed; {@code null} at the end (Ctrl-D). */
    private interface Lines extends AutoCloseable {
        String read() throws IOException;

        @Override
        void close() throws IOException;
    }

    private void command(String line, SandboxSessions sessions, ChatMemory memory, SandboxSetup setup, PrintWriter out) {
        String[] words = line.split("\\s+", 2);
        try {
            switch (words[0]) {
                case "/cost" -> out.println(setup.paid()
                        ? Usdc.format(SandboxSetup.cost(setup.payments())) + " in " + Progress.plural(setup.payments().size(), "payment")
                        : "free: the " + setup.kind() + " sandbox is not paid");
                case "/files" -> {
                    if (sessions.sandboxes(CONVERSATION).stream().allMatch(SandboxSessions.SandboxRecord::terminated)) {
                        out.println("(no sandbox yet)");
                    } else {
                        ExecResult result = sessions.sandbox(CONVERSATION).exec("sh", "-c", "ls -1Ap");
                        out.print(result.stdout().isEmpty() ? "(no files)\n" : result.stdout());
                    }
                }
                case "/get" -> {
                    if (words.length < 2) {
                        out.println("usage: /get FILE");
                        break;
                    }
                    byte[] bytes = sessions.sandbox(CONVERSATION).readFile(words[1]);
                    Path local = Path.of(Path.of(words[1]).getFileName().toString());
                    Files.write(local, bytes);
                    out.println("saved " + local.toAbsolutePath() + " (" + bytes.length + " bytes)");
                }
                case "/reset" -> {
                    sessions.close(CONVERSATION);
                    memory.clear();
                    out.println("(new conversation; the sandbox was terminated)");
                }
                default -> out.println("Unknown command " + words[0] + ". Use /cost, /files, /get FILE, /reset or /quit.");
            }
        } catch (RuntimeException | IOException e) {
            out.println("error: " + Failures.message(e));
        }
        out.flush();
    }

    private static CodeRunListener progress(PrintWriter err) {
        return new CodeRunListener() {
            @Override
            public void started(Object memoryId, String tool, String language, String code) {
                err.println("── " + language);
                code.lines().forEach(line -> err.println("   " + line));
                err.flush();
            }

            @Override
            public void finished(Object memoryId, String tool, String language, String code, String sandboxId, ExecResult result) {
                result.stdout().lines().limit(Progress.SHOWN_LINES).forEach(line -> err.println("   │ " + line));
                err.println("   → exit " + result.exitCode());
                err.flush();
            }
        };
    }
}
