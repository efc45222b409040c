package io.sandbox402.agent;

import mockwebserver3.MockResponse;

/** OpenAI chat-completions responses, as an OpenAI-compatible server sends them, for MockWebServer. */
public final class OpenAiChatCompletions {
    private OpenAiChatCompletions() {}

    public static MockResponse toolCall(String id, String name, String argumentsJson) {
        String escaped = argumentsJson.replace("\\", "\\\\").replace("\"", "\\\"");
        return json("{\"id\":\"chatcmpl-" + id + "\",\"object\":\"chat.completion\",\"created\":1763870000,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name
                + "\",\"arguments\":\"" + escaped + "\"}}]},\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120}}");
    }

    /** A tool call with the model's words before it, as a model that explains its plan sends it. */
    public static MockResponse toolCallWithText(String id, String text, String name, String argumentsJson) {
        String escaped = argumentsJson.replace("\\", "\\\\").replace("\"", "\\\"");
        return json("{\"id\":\"chatcmpl-" + id + "\",\"object\":\"chat.completion\",\"created\":1763870000,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                + text.replace("\"", "\\\"") + "\",\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\""
                + name + "\",\"arguments\":\"" + escaped + "\"}}]},\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120}}");
    }

    public static MockResponse answer(String content) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return json("{\"id\":\"chatcmpl-final\",\"object\":\"chat.completion\",\"created\":1763870001,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                + escaped + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":150,\"completion_tokens\":30,\"total_tokens\":180}}");
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
    }
}
