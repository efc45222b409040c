package io.sandbox402.samples;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.tools.CodeInterpreterTools;
import io.sandbox402.tools.SandboxSessions;
import io.sandbox402.x402.Wallet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A chat code interpreter: each line you type goes to the model, which may run code in the
 * conversation's sandbox (files persist between turns) before it answers. The sandbox is terminated
 * when you leave (an empty line or end of input).
 *
 * <p>Needs a model: OPENAI_API_KEY, or OPENAI_BASE_URL for any OpenAI-compatible server. Run:
 * {@code java -cp ... io.sandbox402.samples.ChatCodeInterpreter [emulator|local|blockrun]}.
 */
public final class ChatCodeInterpreter {
    interface Assistant {
        @SystemMessage("You are a helpful assistant with a Python sandbox. Run code with run_code to compute or check"
                + " anything instead of guessing, and answer from its output.")
        String chat(@MemoryId String conversation, @UserMessage String message);
    }

    public static void main(String[] args) throws IOException {
        System.exit(launch(args, System.getenv(), new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out, System.err));
    }

    static int launch(String[] args, Map<String, String> env, BufferedReader in, PrintStream out, PrintStream err)
            throws IOException {
        String kind = args.length == 0 ? "emulator" : args[0];
        if (args.length > 1 || !List.of("emulator", "local", "blockrun").contains(kind)) {
            err.println("usage: ChatCodeInterpreter [emulator|local|blockrun]");
            return 2;
        }
        if (env.get("OPENAI_API_KEY") == null && env.get("OPENAI_BASE_URL") == null) {
            err.println("error: no model. Set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any OpenAI-compatible"
                    + " server (for instance Ollama's http://localhost:11434/v1).");
            return 2;
        }
        ChatModel model = OpenAiChatModel.builder()
                .baseUrl(env.getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1"))
                .apiKey(env.getOrDefault("OPENAI_API_KEY", "not-needed")) // local servers ignore it
                .modelName(env.getOrDefault("OPENAI_MODEL", "gpt-4o-mini"))
                .build();
        try (BlockRunEmulator emulator = kind.equals("emulator") ? BlockRunEmulator.builder().build().start() : null;
                SandboxProvider provider = switch (kind) {
                    case "local" -> LocalProvider.create();
                    case "emulator" -> BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(Wallet.random()).build();
                    default -> BlockRunProvider.fromEnvironment();
                }) {
            run(model, provider, in, out);
            return 0;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
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
