package io.sandbox402.agent;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;
import static io.sandbox402.internal.Checks.ensurePositive;

import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.tools.CellResult;
import io.sandbox402.tools.CodeInterpreterTools;
import io.sandbox402.tools.CodeRunListener;
import io.sandbox402.tools.SandboxSessions;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.PaymentRefusedException;
import io.sandbox402.x402.SpendLedger;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A code-interpreter agent: the model writes code, runs it in a sandbox, reads stdout and the exit
 * code, fixes and iterates, then answers from real output. Every sandbox a task used is terminated
 * when the task ends, however it ends.
 *
 * <pre>{@code
 * try (CodeInterpreter interpreter = CodeInterpreter.builder()
 *         .chatModel(OpenAiChatModel.builder().apiKey(key).modelName("gpt-4o-mini").build())
 *         .sandboxProvider(provider)
 *         .maxSteps(10)
 *         .build()) {
 *     Solution solution = interpreter.solve("What is the 40th Fibonacci number? Compute it.");
 *     System.out.println(solution.answer() + " (" + Usdc.format(solution.cost()) + ")");
 * }
 * }</pre>
 *
 * <p>Thread-safe: one interpreter may solve tasks on several threads; each task has its own conversation and
 * sandboxes. Costs come from the ledger, so tasks solved at the same time through one paid provider
 * share it: give each its own provider for exact per-task costs.
 */
public final class CodeInterpreter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CodeInterpreter.class.getName());

    interface Assistant {
        Result<String> solve(@MemoryId String conversation, @UserMessage String task);
    }

    private final ChatModel chatModel;
    private final SandboxProvider provider;
    private final @Nullable SpendLedger ledger;
    private final @Nullable PaymentPolicy policy;
    private final int maxSteps;
    private final int maxSandboxes;
    private final SandboxSpec sandboxSpec;
    private final @Nullable String systemPrompt;
    private final CodeInterpreterListener listener;
    private final @Nullable Path outputDir;
    private final Set<SandboxSessions> running = ConcurrentHashMap.newKeySet();

    private CodeInterpreter(Builder builder) {
        this.chatModel = required(builder.chatModel, "chatModel", "any LangChain4j ChatModel that supports tools");
        this.provider = required(builder.provider, "sandboxProvider", "LocalProvider.create() or a BlockRunProvider");
        this.ledger = builder.ledger;
        this.policy = builder.policy;
        this.maxSteps = builder.maxSteps;
        this.maxSandboxes = builder.maxSandboxes;
        this.sandboxSpec = builder.sandboxSpec == null ? SandboxSpec.defaults() : builder.sandboxSpec;
        this.systemPrompt = builder.systemPrompt;
        this.listener = builder.listener == null ? new CodeInterpreterListener() {} : builder.listener;
        this.outputDir = builder.outputDir;
    }

    private static <T> T required(@Nullable T value, String option, String example) {
        if (value == null) {
            throw new IllegalArgumentException("CodeInterpreter needs a " + option + ": call " + option + "(..) with " + example + ".");
        }
        return value;
    }

    /** {@return a builder; {@link Builder#chatModel} and {@link Builder#sandboxProvider} are required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Solves {@code task}.
     *
     * @param task what to do, in plain language; not blank
     * @return the model's answer, its steps, the files it made and what it cost
     * @throws CodeInterpreterException when the model failed before answering; the sandboxes were terminated
     */
    public Solution solve(String task) {
        return solve(task, Map.of());
    }

    /**
     * Solves {@code task} with input files, written to the sandbox's working directory before the
     * model's first step; the model is told their names and sizes.
     *
     * @param task what to do, in plain language; not blank
     * @param files file names (relative paths) and their content
     * @return the model's answer, its steps, the files it made and what it cost
     * @throws CodeInterpreterException when the model failed before answering; the sandboxes were terminated
     */
    public Solution solve(String task, Map<String, byte[]> files) {
        ensureNotBlank(task, "task");
        ensureNotNull(files, "files");
        String conversation = "task-" + UUID.randomUUID();
        BigDecimal spentBefore = spent();
        List<Step> steps = Collections.synchronizedList(new ArrayList<>());
        TaskSignals signals = new TaskSignals(failure -> listener.stepFailed(steps.size() + 1, failure,
                spent().subtract(spentBefore)));
        SandboxSessions.Builder sessionsBuilder = SandboxSessions.builder()
                .provider(new RecordingProvider(provider, signals))
                .defaultSpec(sandboxSpec)
                .maxExecsPerConversation(maxSteps)
                .maxSandboxesPerConversation(maxSandboxes);
        if (ledger != null) {
            sessionsBuilder.ledger(ledger);
        }
        SandboxSessions sessions = sessionsBuilder.build();
        running.add(sessions);
        OutputFiles outputs = new OutputFiles(outputDir);
        CodeRunListener runs = new CodeRunListener() {
            @Override
            public void started(Object memoryId, String tool, String language, String code) {
                listener.stepStarted(steps.size() + 1, language, code);
            }

            @Override
            public void finished(Object memoryId, String tool, String language, String code, String sandboxId,
                    ExecResult result) {
                Step step = new Step(steps.size() + 1, tool, language, code, sandboxId, result);
                steps.add(step);
                listener.stepFinished(step, spent().subtract(spentBefore));
            }

            @Override
            public void cellFinished(Object memoryId, CellResult cell) {
                // Now, while the sandbox runs: it is terminated when the task ends.
                outputs.collect(steps.size(), cell,
                        path -> sessions.find(memoryId, cell.sandboxId()).readFile(path, OutputFiles.MAX_BYTES));
            }
        };
        // The loop ends when the model asks for a tool it may no longer use: every run is spent, or a payment was refused.
        TaskModel model = new TaskModel(chatModel,
                () -> sessions.remainingExecs(conversation) > 0 && signals.refusal() == null, listener::modelSaid,
                signals::limitReached);
        CodeInterpreterTools tools = new CodeInterpreterTools(sessions, runs);
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(model)
                .chatMemoryProvider(memoryId -> MessageWindowChatMemory.withMaxMessages(4 * maxSteps + 10))
                .systemMessageProvider(memoryId -> SystemPrompt.render(systemPrompt, tools.stateful(), maxSteps, budgetLeft(),
                        policy == null ? null : policy.maxSessionCost()))
                .tools(tools)
                // A backstop for calls that are not runs (unknown tools, bad arguments): runs end the loop sooner.
                .maxToolCallingRoundTrips(maxSteps + MAX_INVALID_CALLS)
                .hallucinatedToolNameStrategy(request -> ToolExecutionResultMessage.from(request,
                        "There is no tool named '" + request.name() + "'. Use run_code, write_file, read_file or install_packages."))
                .toolArgumentsErrorHandler((error, context) -> ToolErrorHandlerResult.text("INVALID ARGUMENTS for "
                        + context.toolExecutionRequest().name() + ": " + error.getMessage()
                        + ". Send a JSON object with the parameters the tool describes."))
                .toolExecutionErrorHandler((error, context) -> ToolErrorHandlerResult.text("ERROR in "
                        + context.toolExecutionRequest().name() + ": " + error.getMessage()))
                .build();
        Result<String> result = null;
        RuntimeException failure = null;
        List<Solution.SandboxUse> used;
        try {
            String prompt = task + upload(sessions, conversation, files);
            result = assistant.solve(conversation, prompt);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            // Every path passes here: answer, limit, model error, exception, interrupt.
            used = terminate(sessions, conversation);
            running.remove(sessions);
        }
        BigDecimal cost = spent().subtract(spentBefore);
        long in = model.inputTokens();
        long out = model.outputTokens();
        // The outcome comes from the task's typed signals, never from the text of an exception or a tool's result.
        boolean stopped = signals.limitWasReached();
        PaymentRefusedException refusal = signals.refusal();
        if (refusal != null && (failure == null || stopped)) {
            String answer = result != null ? result.content()
                    : "Stopped: a payment was refused after " + steps.size() + " runs: " + refusal.getMessage();
            return new Solution(task, answer, Solution.Outcome.BUDGET_LIMIT, steps, cost, in, out, used, refusal, outputs.files());
        }
        if (stopped) {
            return new Solution(task, "Stopped: the step limit of " + maxSteps + " runs was reached before an answer.",
                    Solution.Outcome.STEP_LIMIT, steps, cost, in, out, used, null, outputs.files());
        }
        if (failure != null) {
            Solution partial = new Solution(task, "The task failed after " + steps.size() + " runs.",
                    Solution.Outcome.FAILED, steps, cost, in, out, used, failure, outputs.files());
            throw new CodeInterpreterException("The task failed after " + steps.size() + " runs: " + describe(failure)
                    + " (every sandbox was terminated)", partial, failure);
        }
        RuntimeException sandboxFailure = signals.failure();
        if (steps.isEmpty() && sandboxFailure != null) {
            // The model answered, but no code could run: its answer is not from real output.
            return new Solution(task, result.content(), Solution.Outcome.FAILED, steps, cost, in, out, used, sandboxFailure, outputs.files());
        }
        return new Solution(task, result.content(), Solution.Outcome.ANSWERED, steps, cost, in, out, used, null, outputs.files());
    }

    /** Calls that are not runs a task allows on top of its runs, before the loop is ended. */
    private static final int MAX_INVALID_CALLS = 3;

    private static String upload(SandboxSessions sessions, String conversation, Map<String, byte[]> files) {
        if (files.isEmpty()) {
            return "";
        }
        Sandbox sandbox = sessions.sandbox(conversation);
        files.forEach(sandbox::writeFile);
        StringBuilder note = new StringBuilder("\n\nInput files, already in the sandbox's working directory:");
        files.forEach((name, content) -> note.append("\n- ").append(name).append(" (").append(content.length).append(" bytes)"));
        return note.toString();
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    }

    private List<Solution.SandboxUse> terminate(SandboxSessions sessions, String conversation) {
        List<Solution.SandboxUse> used = new ArrayList<>();
        try {
            sessions.close(conversation).forEach(r -> used.add(new Solution.SandboxUse(r.id(), r.terminated())));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not terminate every sandbox of {0}: {1}", conversation, e.getMessage());
            sessions.sandboxes(conversation).forEach(r -> used.add(new Solution.SandboxUse(r.id(), r.terminated())));
        }
        return used;
    }

    private BigDecimal spent() {
        return ledger == null ? BigDecimal.ZERO : ledger.totalCommitted();
    }

    private @Nullable BigDecimal budgetLeft() {
        return policy == null ? null : policy.maxSessionCost().subtract(spent()).max(BigDecimal.ZERO);
    }

    /** Terminates whatever sandboxes tasks still have running; the provider itself stays the caller's. */
    @Override
    public void close() {
        for (SandboxSessions sessions : List.copyOf(running)) {
            sessions.close();
        }
    }

    /** Sets up a {@link CodeInterpreter}. Not thread-safe: one thread configures it, then calls {@link #build}. */
    public static final class Builder {
        private @Nullable ChatModel chatModel;
        private @Nullable SandboxProvider provider;
        private @Nullable SpendLedger ledger;
        private @Nullable PaymentPolicy policy;
        private int maxSteps = 10;
        private int maxSandboxes = 2;
        private @Nullable SandboxSpec sandboxSpec;
        private @Nullable String systemPrompt;
        private @Nullable CodeInterpreterListener listener;
        private @Nullable Path outputDir;

        private Builder() {}

        /**
         * Where the files that Python cells create (charts, tables) are downloaded, keeping their paths
         * in the sandbox, before the sandbox is terminated; each file up to 16 MiB, at most 50 (on
         * BlockRun each download is paid reads, in the task's cost). Default: none, the files are only
         * listed in {@link Solution#files()}.
         *
         * @param outputDir a local directory, not null
         * @return this builder
         */
        public Builder outputDir(Path outputDir) {
            this.outputDir = ensureNotNull(outputDir, "outputDir");
            return this;
        }

        /**
         * Any LangChain4j chat model that supports tools. Required.
         *
         * @param chatModel not null
         * @return this builder
         */
        public Builder chatModel(ChatModel chatModel) {
            this.chatModel = ensureNotNull(chatModel, "chatModel");
            return this;
        }

        /**
         * Where code runs. Required; the caller closes it.
         *
         * @param provider not null
         * @return this builder
         */
        public Builder sandboxProvider(SandboxProvider provider) {
            this.provider = ensureNotNull(provider, "provider");
            return this;
        }

        /**
         * The ledger costs are read from: the one the paying provider records into, for instance
         * {@code BlockRunProvider.ledger()}. Without one, costs are reported as zero.
         *
         * @param ledger not null
         * @return this builder
         */
        public Builder ledger(SpendLedger ledger) {
            this.ledger = ensureNotNull(ledger, "ledger");
            return this;
        }

        /**
         * The payment policy the provider enforces, so the model is told its budget. Default none.
         *
         * @param policy the same policy the provider was given, not null
         * @return this builder
         */
        public Builder paymentPolicy(PaymentPolicy policy) {
            this.policy = ensureNotNull(policy, "policy");
            return this;
        }

        /**
         * Runs per task. Default 10.
         *
         * @param maxSteps at least 1
         * @return this builder
         */
        public Builder maxSteps(int maxSteps) {
            this.maxSteps = ensurePositive(maxSteps, "maxSteps");
            return this;
        }

        /**
         * Sandboxes per task. Default 2.
         *
         * @param maxSandboxes at least 1
         * @return this builder
         */
        public Builder maxSandboxes(int maxSandboxes) {
            this.maxSandboxes = ensurePositive(maxSandboxes, "maxSandboxes");
            return this;
        }

        /**
         * The sandbox each task gets (network, GPU, memory, CPU). Default the provider's defaults.
         *
         * @param sandboxSpec not null
         * @return this builder
         */
        public Builder sandboxSpec(SandboxSpec sandboxSpec) {
            this.sandboxSpec = ensureNotNull(sandboxSpec, "sandboxSpec");
            return this;
        }

        /**
         * Instructions added to the default system prompt. Default none.
         *
         * @param systemPrompt not null
         * @return this builder
         */
        public Builder systemPrompt(String systemPrompt) {
            this.systemPrompt = ensureNotNull(systemPrompt, "systemPrompt");
            return this;
        }

        /**
         * Sees each run as it starts and ends. Default none.
         *
         * @param listener not null
         * @return this builder
         */
        public Builder listener(CodeInterpreterListener listener) {
            this.listener = ensureNotNull(listener, "listener");
            return this;
        }

        /**
         * {@return the interpreter}
         *
         * @throws IllegalArgumentException when the chat model or the sandbox provider is missing
         */
        public CodeInterpreter build() {
            return new CodeInterpreter(this);
        }
    }
}
