package io.sandbox402.agent.cli;

import dev.langchain4j.model.openai.OpenAiChatModel;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The model: any OpenAI-compatible server (OpenAI, vLLM, Ollama's /v1), as OPENAI_* variables name it. */
final class ModelOptions {
    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    static final String DEFAULT_MODEL = "gpt-4o-mini";
    /** Long enough for a slow local model's first token after loading; a hanging server is reported before. */
    static final Duration WAITING_NOTICE = Duration.ofSeconds(5);

    @Option(names = "--model", paramLabel = "NAME", description = "The model (OPENAI_MODEL). Default: " + DEFAULT_MODEL)
    String model;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "An OpenAI-compatible server (OPENAI_BASE_URL). Default: " + DEFAULT_BASE_URL)
    String baseUrl;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "The server's key; prefer OPENAI_API_KEY (a command line is visible to other users in ps).")
    String apiKey;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long one model call may take. Default: ${DEFAULT-VALUE}")
    int requestTimeoutSeconds;

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

    Duration requestTimeout() {
        if (requestTimeoutSeconds <= 0) {
            throw new UsageException("--request-timeout must be at least 1 second, was " + requestTimeoutSeconds + ".");
        }
        return Duration.ofSeconds(requestTimeoutSeconds);
    }

    /** The model, saying on {@code progress} when a call takes a while. */
    ModelServer build(Environment env, PrintWriter progress) {
        if (!configured(env)) {
            throw new UsageException("No model configured. Set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any"
                    + " OpenAI-compatible server (for instance Ollama's http://localhost:11434/v1); OPENAI_MODEL picks the"
                    + " model (default " + DEFAULT_MODEL + ").");
        }
        String url = baseUrl(env);
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new UsageException("OPENAI_BASE_URL (or --base-url) must be an http:// or https:// URL, was '" + url
                    + "'. For instance https://api.openai.com/v1 or http://localhost:11434/v1.");
        }
        String key = apiKey(env);
        Duration timeout = requestTimeout();
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(url)
                .apiKey(key == null ? "not-needed" : key) // local servers ignore it, the client wants one
                .modelName(modelName(env))
                .timeout(timeout)
                .maxRetries(0) // a retry would double a hang; the agent's loop tolerates nothing silently
                .build();
        // Said before the time is up, however short it is.
        Duration notice = timeout.dividedBy(2).compareTo(WAITING_NOTICE) < 0 ? timeout.dividedBy(2) : WAITING_NOTICE;
        return new ModelServer(model, url, modelName(env), timeout, progress, notice);
    }
}
