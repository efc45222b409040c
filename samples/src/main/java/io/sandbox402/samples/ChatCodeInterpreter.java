package io.sandbox402.samples;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.tools.CodeInterpreterTools;
import io.sandbox402.tools.SandboxSessions;
import io.sandbox402.x402.PaymentPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A chat code interpreter: each line you type goes to the model, which may run code in the
 * conversation's sandbox (files persist between turns) before it answers. The sandbox is terminated
 * when you leave (an empty line or end of input).
 *
 * <p>Needs a model: OPENAI_API_KEY, or OPENAI_BASE_URL for any OpenAI-compatible server.
 */
public final class ChatCodeInterpreter {
    interface Assistant {
        @SystemMessage("You are a helpful assistant with a Python sandbox. Run code with run_code to compute or check"
                + " anything instead of guessing, and answer from its output.")
        String chat(@MemoryId String conversation, @UserMessage String message);
    }

    public static void main(String[] args) throws IOException {
        ChatModel model = OpenAiChatModel.builder()
                .baseUrl(System.getenv().getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1"))
                .apiKey(System.getenv().getOrDefault("OPENAI_API_KEY", "not-needed"))
                .modelName(System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini"))
                .build();
        try (SampleSandboxes sandboxes = SampleSandboxes.open(SampleSandboxes.kind(args), PaymentPolicy.defaults())) {
            run(model, sandboxes.provider(), new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    System.out);
        }
    }

    static void run(ChatModel model, SandboxProvider provider, BufferedReader in, PrintStream out) throws IOException {
        try (SandboxSessions sessions = SandboxSessions.builder().provider(provider).build()) {
            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(model)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(40))
                    .tools(new CodeInterpreterTools(sessions))
                    .build();
            out.print("you> ");
            for (String line = in.readLine(); line != null && !line.isBlank(); line = in.readLine()) {
                out.println("assistant> " + assistant.chat("chat", line));
                out.print("you> ");
            }
            out.println();
        }
    }
}
