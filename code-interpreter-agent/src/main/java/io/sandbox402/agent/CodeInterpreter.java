package io.sandbox402.agent;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecution;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.tools.CodeInterpreterTools;
import io.sandbox402.tools.CodeRunListener;
import io.sandbox402.tools.SandboxSessions;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.SpendLedger;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

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
 *     System.out.println(solution.answer() + " ($" + solution.cost() + ")");
 * }
 * }</pre>
 *
 * <p>One interpreter may solve tasks on several threads; each task has its own conversation and
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
    private final SpendLedger ledger;
    private final PaymentPolicy policy;
    private final int maxSteps;
    private final String systemPrompt;
    private final CodeInterpreterListener listener;
    private final SandboxSessions sessions;

    private CodeInterpreter(Builder builder) {
        this.chatModel = ensureNotNull(builder.chatModel, "chatModel");
        this.provider = ensureNotNull(builder.provider, "sandboxProvider");
        this.ledger = builder.ledger != null ? builder.ledger
                : provider instanceof BlockRunProvider blockRun ? blockRun.ledger() : null;
        this.policy = builder.policy;
        this.maxSteps = builder.maxSteps;
        this.systemPrompt = builder.systemPrompt;
        this.listener = builder.listener == null ? new CodeInterpreterListener() {} : builder.listener;
        SandboxSessions.Builder sessions = SandboxSessions.builder()
                .provider(provider)
                .maxExecsPerConversation(maxSteps)
                .maxSandboxesPerConversation(builder.maxSandboxes);
        if (ledger != null) {
            sessions.ledger(ledger);
        }
        this.sessions = sessions.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Solves {@code task}.
     *
     * @throws CodeInterpreterException when the model failed before answering; the sandboxes were terminated
     */
    public Solution solve(String task) {
        ensureNotBlank(task, "task");
        String conversation = "task-" + UUID.randomUUID();
        BigDecimal spentBefore = spent();
        List<Step> steps = Collections.synchronizedList(new ArrayList<>());
        CodeRunListener runs = new CodeRunListener() {
            @Override
            public void started(Object memoryId, String tool, String language, String code) {
                listener.stepStarted(steps.size() + 1, language, code);
            }

            @Override
            public void finished(Object memoryId, String tool, String language, String code, String sandboxId,
                    ExecResult result) {
                Step step = new Step(steps.size() + 1, tool, language, code, sandboxId, result.stdout(), result.stderr(),
                        result.exitCode(), result.duration(), result.cost(), result.timedOut());
                steps.add(step);
                listener.stepFinished(step, spent().subtract(spentBefore));
            }
        };
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(chatModel)
                .chatMemoryProvider(memoryId -> MessageWindowChatMemory.withMaxMessages(4 * maxSteps + 10))
                .systemMessageProvider(memoryId -> SystemPrompt.render(systemPrompt, maxSteps, budgetLeft(),
                        policy == null ? null : policy.maxSessionCost()))
                .tools(new CodeInterpreterTools(sessions, runs))
                // Generous: a model that keeps calling tools after the run limit is stopped here.
                .maxSequentialToolsInvocations(maxSteps + 10)
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
            result = assistant.solve(conversation, task);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            // Every path passes here: answer, limit, model error, exception, interrupt.
            used = terminate(conversation);
        }
        BigDecimal cost = spent().subtract(spentBefore);
        if (failure != null && isStepLimit(failure)) {
            return new Solution(task, "Stopped: the step limit of " + maxSteps + " runs was reached before an answer.",
                    Solution.Outcome.STEP_LIMIT, steps, cost, 0, 0, used);
        }
        if (failure != null) {
            Solution partial = new Solution(task, null, Solution.Outcome.ANSWERED, steps, cost, 0, 0, used);
            throw new CodeInterpreterException("The task failed after " + steps.size() + " runs: " + failure.getMessage()
                    + " (every sandbox was terminated)", partial, failure);
        }
        TokenUsage tokens = result.tokenUsage();
        return new Solution(task, result.content(), outcome(result.toolExecutions()), steps, cost,
                tokens == null || tokens.inputTokenCount() == null ? 0 : tokens.inputTokenCount(),
                tokens == null || tokens.outputTokenCount() == null ? 0 : tokens.outputTokenCount(), used);
    }

    private List<Solution.SandboxUse> terminate(String conversation) {
        List<Solution.SandboxUse> used = new ArrayList<>();
        try {
            sessions.close(conversation).forEach(r -> used.add(new Solution.SandboxUse(r.id(), r.terminated())));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not terminate every sandbox of {0}: {1}", conversation, e.getMessage());
            sessions.sandboxes(conversation).forEach(r -> used.add(new Solution.SandboxUse(r.id(), r.terminated())));
        }
        return used;
    }

    private static boolean isStepLimit(RuntimeException e) {
        // LangChain4j's words when maxSequentialToolsInvocations is passed
        return String.valueOf(e.getMessage()).contains("tool calling round trips");
    }

    private static Solution.Outcome outcome(List<ToolExecution> executions) {
        Solution.Outcome outcome = Solution.Outcome.ANSWERED;
        for (ToolExecution execution : executions == null ? List.<ToolExecution>of() : executions) {
            String text = String.valueOf(execution.result());
            if (text.startsWith("PAYMENT REFUSED")) {
                return Solution.Outcome.BUDGET_LIMIT;
            }
            if (text.startsWith("LIMIT: Step limit")) {
                outcome = Solution.Outcome.STEP_LIMIT;
            }
        }
        return outcome;
    }

    private BigDecimal spent() {
        return ledger == null ? BigDecimal.ZERO : ledger.totalCommitted();
    }

    private BigDecimal budgetLeft() {
        return policy == null ? null : policy.maxSessionCost().subtract(spent()).max(BigDecimal.ZERO);
    }

    /** Terminates whatever sandboxes are still running; the provider itself stays the caller's. */
    @Override
    public void close() {
        sessions.close();
    }

    public static final class Builder {
        private ChatModel chatModel;
        private SandboxProvider provider;
        private SpendLedger ledger;
        private PaymentPolicy policy;
        private int maxSteps = 10;
        private int maxSandboxes = 2;
        private String systemPrompt;
        private CodeInterpreterListener listener;

        private Builder() {}

        /** Any LangChain4j chat model that supports tools. Required. */
        public Builder chatModel(ChatModel chatModel) {
            this.chatModel = ensureNotNull(chatModel, "chatModel");
            return this;
        }

        /** Where code runs. Required. */
        public Builder sandboxProvider(SandboxProvider provider) {
            this.provider = ensureNotNull(provider, "provider");
            return this;
        }

        /** The ledger costs are read from. Default a {@link BlockRunProvider}'s own; none for free sandboxes. */
        public Builder ledger(SpendLedger ledger) {
            this.ledger = ensureNotNull(ledger, "ledger");
            return this;
        }

        /** The payment policy the provider enforces, so the model is told its budget. */
        public Builder paymentPolicy(PaymentPolicy policy) {
            this.policy = ensureNotNull(policy, "policy");
            return this;
        }

        /** Runs per task. Default 10. */
        public Builder maxSteps(int maxSteps) {
            if (maxSteps <= 0) {
                throw new IllegalArgumentException("maxSteps must be positive, was " + maxSteps);
            }
            this.maxSteps = maxSteps;
            return this;
        }

        /** Sandboxes per task. Default 2. */
        public Builder maxSandboxes(int maxSandboxes) {
            if (maxSandboxes <= 0) {
                throw new IllegalArgumentException("maxSandboxes must be positive, was " + maxSandboxes);
            }
            this.maxSandboxes = maxSandboxes;
            return this;
        }

        /** Instructions added to the default system prompt. */
        public Builder systemPrompt(String systemPrompt) {
            this.systemPrompt = ensureNotNull(systemPrompt, "systemPrompt");
            return this;
        }

        /** Sees each run as it starts and ends. */
        public Builder listener(CodeInterpreterListener listener) {
            this.listener = ensureNotNull(listener, "listener");
            return this;
        }

        public CodeInterpreter build() {
            return new CodeInterpreter(this);
        }
    }
}
