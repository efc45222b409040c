package io.sandbox402.eval;

import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.blockrun.BlockRunException;
import io.sandbox402.x402.PaymentException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps one sandbox busy: takes the next batch, runs it through the runner (in as many execs as its
 * time needs), and hands the verdicts back. A sandbox that fails is terminated and replaced, and the
 * batch's samples without a verdict run again. A runner that dies mid-batch (a sample killed it) costs
 * the sandbox, which may hold what the sample left running; the sample it was running is retried alone
 * in a fresh one, so the culprit gets the failure and nobody else does. BlockRun's 429 costs nothing and
 * says nothing about the sandbox: the worker waits its {@code Retry-After} (at most a minute) and sends the
 * same batch to the same sandbox.
 */
final class SandboxWorker implements Runnable {
    private static final System.Logger LOG = System.getLogger(SandboxWorker.class.getName());
    /** Sandboxes lost in a row before the run gives up: one is bad luck, four is a broken provider. */
    static final int MAX_SANDBOX_FAILURES = 3;
    /** The longest a 429's {@code Retry-After} makes a worker wait. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
    /** 429s in a row before the run gives up. */
    static final int MAX_RATE_LIMITED = 20;
    private static final Pattern RETRY_AFTER = Pattern.compile("Retry-After (\\d+(?:\\.\\d+)?) s");

    private final EvaluationRun run;
    private final Evaluation config;
    private Sandbox sandbox;
    private long createdAt;
    private boolean uploaded;

    SandboxWorker(EvaluationRun run) {
        this.run = run;
        this.config = run.config();
    }

    @Override
    public void run() {
        try {
            BatchPlanner.Batch batch;
            while ((batch = run.nextBatch()) != null) {
                Map<Long, String> verdicts = new HashMap<>();
                BigDecimal cost = evaluate(batch, verdicts);
                if (cost == null) {
                    return;
                }
                run.finished(batch, verdicts, cost);
            }
        } catch (RuntimeException e) {
            run.fail(e);
        } catch (Error e) {
            run.fail(new IllegalStateException(e.toString(), e));
        } finally {
            discard();
        }
    }

    /** The batch's cost, or {@code null} when the run stopped before it finished. */
    private BigDecimal evaluate(BatchPlanner.Batch batch, Map<Long, String> verdicts) {
        List<PendingSample> pending = new ArrayList<>(batch.samples());
        BigDecimal cost = BigDecimal.ZERO;
        int failures = 0;
        int rounds = 0;
        int rateLimited = 0;
        boolean isolate = false;
        while (!pending.isEmpty()) {
            if (run.stopping()) {
                return null;
            }
            if (++rounds > 3 * batch.samples().size() + 10) {
                pending.forEach(s -> verdicts.put(s.index(), "failed: sandbox402: no verdict after repeated attempts"));
                break;
            }
            List<PendingSample> group = List.copyOf(isolate ? pending.subList(0, 1) : pending);
            String payload = RunnerScript.payload(config.settings, group, 0);
            if (payload.length() > RunnerScript.BATCH_PAYLOAD_CHARS) {
                if (group.size() == 1) {
                    verdicts.put(group.get(0).index(), "failed: sandbox402: the check program is too large for one exec ("
                            + payload.length() + " characters compressed, at most " + RunnerScript.BATCH_PAYLOAD_CHARS + ")");
                    pending.remove(0);
                }
                isolate = group.size() > 1;
                continue;
            }
            ExecResult result;
            try {
                if (!ready() || !run.reserve(config.pricing.exec(), 0)) {
                    return null;
                }
                result = sandbox.exec(run.runner.batch(payload, config.settings.execTimeout()));
            } catch (PaymentException e) {
                throw e;
            } catch (BlockRunException e) {
                if (e.status() != 429) {
                    if (sandboxFailed(e, ++failures, pending.size())) {
                        continue;
                    }
                }
                // Rate limited: nothing ran and nothing was charged. Wait as told, then send the same batch to the
                // same sandbox; a 429 is not the sandbox's fault and counts neither as a failure nor as a round.
                if (++rateLimited > MAX_RATE_LIMITED) {
                    throw new SandboxException("BlockRun kept rate limiting (" + rateLimited + " times in a row), the"
                            + " last time: " + e.getMessage() + " Verdicts so far are in the results file; rerun to continue.", e);
                }
                rounds--;
                Duration wait = retryAfter(e.getMessage());
                LOG.log(System.Logger.Level.INFO, "BlockRun is rate limiting; waiting {0} ms, then retrying {1} samples"
                        + " on the same sandbox.", wait.toMillis(), pending.size());
                if (!pause(wait)) {
                    return null;
                }
                continue;
            } catch (SandboxException e) {
                sandboxFailed(e, ++failures, pending.size());
                continue;
            }
            rateLimited = 0;
            cost = cost.add(result.cost());
            run.paid(result.cost());
            BatchOutput output = BatchOutput.parse(result.stdout());
            if (output.missingRunner()) {
                uploaded = false; // a sample changed or removed it: upload it again
                failures++;
                continue;
            }
            for (PendingSample sample : group) {
                String verdict = output.verdicts().get(sample.index());
                if (verdict != null) {
                    verdicts.putIfAbsent(sample.index(), verdict);
                }
            }
            pending.removeIf(sample -> verdicts.containsKey(sample.index()));
            failures = 0;
            if (output.ended() || output.next() >= 0) {
                isolate = false;
                continue;
            }
            // The runner was stopped: by the sample it ran, or by something an earlier sample left running
            // (a sandbox keeps background processes between execs). Trust a fresh sandbox only.
            discard();
            if (group.size() == 1 && !pending.isEmpty() && pending.get(0).index() == group.get(0).index()) {
                // Alone, it still stopped the runner: that is its verdict.
                verdicts.put(group.get(0).index(), result.timedOut() ? "timed out"
                        : "failed: sandbox402: the evaluation runner was stopped while this sample ran (exit code "
                                + result.exitCode() + ")");
                pending.remove(0);
                isolate = false;
            } else {
                isolate = true; // the first sample without a verdict was running when the runner stopped
            }
        }
        return cost;
    }

    /** Replaces the failed sandbox, or throws when sandboxes failed too often in a row; always {@code true}. */
    private boolean sandboxFailed(SandboxException e, int failures, int pending) {
        if (failures > MAX_SANDBOX_FAILURES) {
            throw new SandboxException("Sandboxes failed " + failures + " times in a row, the last time: "
                    + e.getMessage() + " Verdicts so far are in the results file; rerun to continue.", e);
        }
        LOG.log(System.Logger.Level.WARNING, "Sandbox {0} failed ({1}); replacing it and rerunning {2} samples.",
                sandbox == null ? "?" : sandbox.id(), e.getMessage(), pending);
        discard();
        return true;
    }

    /** BlockRun's {@code Retry-After} as its 429 message carries it ({@code Retry-After 3 s}), capped; 1 s when absent. */
    static Duration retryAfter(String message) {
        Matcher matcher = message == null ? null : RETRY_AFTER.matcher(message);
        if (matcher == null || !matcher.find()) {
            return Duration.ofSeconds(1);
        }
        try {
            long millis = Math.round(Double.parseDouble(matcher.group(1)) * 1000);
            return Duration.ofMillis(Math.max(0, Math.min(millis, MAX_RETRY_AFTER.toMillis())));
        } catch (NumberFormatException e) {
            return MAX_RETRY_AFTER;
        }
    }

    /** Sleeps, waking early when the run stops; {@code false} then. */
    private boolean pause(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            if (run.stopping()) {
                return false;
            }
            try {
                Thread.sleep(Math.min(200, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.stop("interrupted");
                return false;
            }
        }
        return !run.stopping();
    }

    /** A sandbox with the runner in it; {@code false} when the budget allows no new one. */
    private boolean ready() {
        Duration age = Duration.ofNanos(System.nanoTime() - createdAt);
        if (sandbox != null && age.plus(config.settings.execTimeout()).plusSeconds(15).compareTo(config.sandboxLifetime) > 0) {
            discard(); // it would end during the next exec: replace it first
        }
        if (sandbox == null) {
            if (!run.reserve(config.pricing.create(), 1)) {
                return false;
            }
            sandbox = config.provider.create(config.spec);
            createdAt = System.nanoTime();
            run.liveSandboxes().incrementAndGet();
            uploaded = false;
        }
        if (!uploaded) {
            if (!run.reserve(config.pricing.exec(), 0)) {
                return false;
            }
            ExecResult result = sandbox.exec(run.runner.upload());
            run.paid(result.cost());
            if (!result.stdout().contains(RunnerScript.PREFIX + " uploaded")) {
                throw new SandboxException("Cannot upload the evaluation runner to sandbox " + sandbox.id() + " (exit code "
                        + result.exitCode() + "): " + (result.stderr().isBlank() ? result.stdout() : result.stderr()).strip()
                        + ". It needs python3 on the sandbox's PATH.");
            }
            uploaded = true;
        }
        return true;
    }

    private void discard() {
        if (sandbox == null) {
            return;
        }
        Sandbox gone = sandbox;
        sandbox = null;
        run.liveSandboxes().decrementAndGet();
        try {
            gone.terminate();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot terminate sandbox {0}: {1}. The provider terminates it when"
                    + " closed, or it ends at its timeout.", gone.id(), e.getMessage());
        }
    }
}
