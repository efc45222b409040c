package io.sandbox402.agent.cli;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The model: any OpenAI-compatible server (OpenAI, vLLM, Ollama's /v1), as OPENAI_* variables name it. */
final class ModelOptions {
    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    static final String DEFAULT_MODEL = "gpt-4o-mini";

    @Option(names = "--model", paramLabel = "NAME", description = "The model (OPENAI_MODEL). Default: " + DEFAULT_MODEL)
    String model;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "An OpenAI-compatible server (OPENAI_BASE_URL). Default: " + DEFAULT_BASE_URL)
    String baseUrl;

    @Option(names = "--api-key", paramLabel = "KEY", description = "The server's key (OPENAI_API_KEY).")
    String apiKey;

    /** Whether enough is configured to call a model. */
    boolean configured(Environment env) {
        return env.resolve(apiKey, "OPENAI_API_KEY") != null || env.resolve(baseUrl, "OPENAI_BASE_URL") != null;
    }

    String baseUrl(Environment env) {
        String url = env.resolve(baseUrl, "OPENAI_BASE_URL");
        return url == null ? DEFAULT_BASE_URL : url;
    }

    String modelName(Environment env) {
        String name = env.resolve(model, "OPENAI_MODEL");
        return name == null ? DEFAULT_MODEL : name;
    }

    String apiKey(Environment env) {
        return env.resolve(apiKey, "OPENAI_API_KEY");
    }

    ChatModel build(Environment env) {
        if (!configured(env)) {
            throw new UsageException("No model configured. Set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any"
                    + " OpenAI-compatible server (for instance Ollama's http://localhost:11434/v1); OPENAI_MODEL picks the"
                    + " model (default " + DEFAULT_MODEL + ").");
        }
        String key = apiKey(env);
        return OpenAiChatModel.builder()
                .baseUrl(baseUrl(env))
                .apiKey(key == null ? "not-needed" : key) // local servers ignore it, the client wants one
                .modelName(modelName(env))
                .timeout(Duration.ofSeconds(120))
                .maxRetries(2)
                .build();
    }
}
