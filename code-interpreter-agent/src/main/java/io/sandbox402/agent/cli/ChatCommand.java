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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * An interactive session: each line goes to the model, which may run code in one sandbox kept
 * across turns. Lines starting with '/' are commands. Ctrl-C cancels the running turn, not the
 * chat; the sandbox is terminated when the chat ends.
 */
@Command(name = "chat", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Talk with the code interpreter; one sandbox is kept across turns.",
                "Commands: /cost, /files, /get FILE, /reset, /quit. Ctrl-C cancels the running turn."})
final class ChatCommand implements Callable<Integer> {
    static final String CONVERSATION = "chat";

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
        ExecutorService turns = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chat-turn");
            thread.setDaemon(true);
            return thread;
        });
        AtomicReference<Future<?>> running = new AtomicReference<>();
        Object previous = Interrupts.cancelOnInterrupt(() -> {
            Future<?> turn = running.get();
            if (turn != null) {
                turn.cancel(true);
            } else {
                err.println();
                err.println("(Ctrl-C cancels a running turn; /quit leaves)");
                err.flush();
            }
        });
        try (SandboxSetup setup = sandboxOptions.open(env)) {
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
                BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
                out.println("code-interpreter chat on the " + setup.kind() + " sandbox. /quit leaves.");
                while (true) {
                    out.print("you> ");
                    out.flush();
                    String line = in.readLine();
                    if (line == null || line.strip().equals("/quit")) {
                        break;
                    }
                    line = line.strip();
                    if (line.isEmpty()) {
                        continue;
                    }
                    if (line.startsWith("/")) {
                        command(line, sessions, memory, setup, out);
                        continue;
                    }
                    String message = line;
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
            out.println("[chat ended, " + (setup.paid() ? SandboxOptions.usd(SandboxSetup.cost(setup.payments())) + " spent"
                    : "free " + setup.kind() + " sandbox") + "; the sandbox was terminated]");
            out.flush();
            return 0;
        } finally {
            turns.shutdownNow();
            Interrupts.restore(previous);
        }
    }

    private void command(String line, SandboxSessions sessions, ChatMemory memory, SandboxSetup setup, PrintWriter out) {
        String[] words = line.split("\\s+", 2);
        try {
            switch (words[0]) {
                case "/cost" -> out.println(setup.paid()
                        ? SandboxOptions.usd(SandboxSetup.cost(setup.payments())) + " in " + Progress.plural(setup.payments().size(), "payment")
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
