package io.sandbox402.testing;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A chat model that answers from a script, for the real LangChain4j AI services in tests. Each turn
 * sees the request (to read tool results) and returns a tool call or a final answer. Every response
 * reports 10 input and 5 output tokens. Requests are recorded.
 *
 * <pre>{@code
 * ScriptedChatModel model = new ScriptedChatModel(
 *         ScriptedChatModel.toolCall("run_code", "{\"language\":\"python\",\"code\":\"print(6*7)\"}"),
 *         request -> ScriptedChatModel.answerOf("It is " + ScriptedChatModel.lastToolResult(request)));
 * }</pre>
 */
public final class ScriptedChatModel implements ChatModel {
    private final List<Function<ChatRequest, AiMessage>> turns;
    private final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger next = new AtomicInteger();

    @SafeVarargs
    public ScriptedChatModel(Function<ChatRequest, AiMessage>... turns) {
        this.turns = List.of(turns);
    }

    /** A model whose every turn is produced by {@code turn}, for conversations of any length. */
    public static ScriptedChatModel repeating(Function<ChatRequest, AiMessage> turn) {
        ScriptedChatModel model = new ScriptedChatModel();
        model.repeating = turn;
        return model;
    }

    private volatile Function<ChatRequest, AiMessage> repeating;

    @Override
    public ChatResponse doChat(ChatRequest request) {
        requests.add(request);
        Function<ChatRequest, AiMessage> turn;
        if (repeating != null) {
            turn = repeating;
        } else {
            int index = next.getAndIncrement();
            if (index >= turns.size()) {
                throw new IllegalStateException("The script has " + turns.size() + " turns; turn " + (index + 1) + " was asked for");
            }
            turn = turns.get(index);
        }
        AiMessage message = turn.apply(request);
        return ChatResponse.builder()
                .aiMessage(message)
                .tokenUsage(new TokenUsage(10, 5))
                .finishReason(message.hasToolExecutionRequests() ? FinishReason.TOOL_EXECUTION : FinishReason.STOP)
                .build();
    }

    public List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    public static Function<ChatRequest, AiMessage> toolCall(String name, String arguments) {
        return request -> AiMessage.from(ToolExecutionRequest.builder()
                .id("call-" + request.messages().size())
                .name(name)
                .arguments(arguments)
                .build());
    }

    public static AiMessage answerOf(String text) {
        return AiMessage.from(text);
    }

    /** The text of the last tool result in the request, or {@code null}. */
    public static String lastToolResult(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ToolExecutionResultMessage result) {
                return result.text();
            }
        }
        return null;
    }

    /** A JSON string literal of {@code text}, for tool arguments. */
    public static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
