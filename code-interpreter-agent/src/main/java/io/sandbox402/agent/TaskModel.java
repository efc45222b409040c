package io.sandbox402.agent;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The model as one task calls it: counts tokens over every call (so a task that stops early still
 * reports them), passes the model's words before a tool call to the listener, and ends the loop
 * with a typed {@link Stop} when the model asks for another tool although it may not run any more.
 */
final class TaskModel implements ChatModel {
    /** Ends the AI service's loop: the model asked for a tool after the task's runs or budget were used. */
    static final class Stop extends RuntimeException {
        final @Nullable String lastText;

        Stop(@Nullable String lastText) {
            super("stopped", null, false, false);
            this.lastText = lastText;
        }
    }

    private final ChatModel delegate;
    private final BooleanSupplier mayRunMore;
    private final Consumer<String> said;
    private final Runnable stopped;
    private long inputTokens;
    private long outputTokens;
    private int calls;

    /**
     * @param mayRunMore whether the task may still run code
     * @param said gets the model's words before a tool call
     * @param stopped told when the model asks for a tool although it may not run any more, before {@link Stop} ends the loop
     */
    TaskModel(ChatModel delegate, BooleanSupplier mayRunMore, Consumer<String> said, Runnable stopped) {
        this.delegate = delegate;
        this.mayRunMore = mayRunMore;
        this.said = said;
        this.stopped = stopped;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        ChatResponse response = delegate.chat(request);
        synchronized (this) {
            calls++;
            TokenUsage usage = response.tokenUsage();
            if (usage != null) {
                inputTokens += usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
                outputTokens += usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
            }
        }
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        if (response.aiMessage() != null && response.aiMessage().hasToolExecutionRequests()) {
            if (!mayRunMore.getAsBoolean()) {
                stopped.run();
                throw new Stop(text);
            }
            if (text != null && !text.isBlank()) {
                said.accept(text.strip());
            }
        }
        return response;
    }

    synchronized long inputTokens() {
        return inputTokens;
    }

    synchronized long outputTokens() {
        return outputTokens;
    }

    synchronized int calls() {
        return calls;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return delegate.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return List.of(); // the delegate notifies its own
    }

    @Override
    public ModelProvider provider() {
        return delegate.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return delegate.supportedCapabilities();
    }
}
