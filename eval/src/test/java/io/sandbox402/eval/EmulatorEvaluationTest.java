package io.sandbox402.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.Wallet;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness through BlockRun's API, paid per call, on the emulator with the public beta's exec limits. */
class EmulatorEvaluationTest {
    @TempDir
    Path dir;
    LocalProvider local;
    RecordingProvider recording;
    BlockRunEmulator emulator;
    BlockRunProvider provider;

    void start(int killAfterExecs) {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        recording = new RecordingProvider(local, killAfterExecs);
        emulator = BlockRunEmulator.builder().provider(recording).build().start();
        provider = BlockRunProvider.builder()
                .apiUrl(emulator.baseUrl())
                .wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY))
                .policy(PaymentPolicy.builder().maxSessionCost(new BigDecimal("5")).build())
                .shutdownHook(false)
                .build();
    }

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
            emulator.close();
            local.close();
        }
    }

    Pricing pricing() {
        return new Pricing(usd(emulator.profile().createPrice(null, Duration.ofSeconds(300))),
                usd(emulator.profile().price("exec")), usd(emulator.profile().price("terminate")));
    }

    static BigDecimal usd(java.math.BigInteger atomic) {
        return new BigDecimal(atomic, 6);
    }

    Evaluation.Builder evaluation(Path samples) {
        Path problems = dir.resolve("problems.jsonl");
        if (!Files.exists(problems)) {
            EvalFixtures.copy("problems.jsonl", dir);
        }
        return Evaluation.builder().provider(provider).problems(problems).samples(samples)
                .pricing(pricing()).spent(() -> provider.ledger().totalCommitted());
    }

    @Test
    void should_give_each_hostile_sample_its_verdict_within_blockruns_limits() {
        // given
        start(0);
        Path samples = EvalFixtures.copy("hostile.jsonl", dir);

        // when
        EvaluationReport report = evaluation(samples).build().run();

        // then
        List<ObjectNode> lines = EvalFixtures.lines(report.results());
        assertThat(lines).hasSize(30);
        for (ObjectNode line : lines) {
            assertThat(line.get("result").asText()).as(line.get("name").asText()).startsWith(line.get("expect").asText());
            assertThat(line.get("batch_cost_usd").asDouble()).isPositive();
        }
        assertThat(recording.maxSegments()).isLessThanOrEqualTo(32);
        assertThat(recording.maxSegmentChars()).isLessThanOrEqualTo(2000);
        assertThat(recording.maxTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(report.cost()).isEqualByComparingTo(provider.ledger().totalCommitted()).isPositive();
        assertThat(emulator.runningSandboxes()).isZero();
    }

    @Test
    void should_replace_dead_sandboxes_and_count_each_sample_once_when_four_workers_run() throws Exception {
        // given: sandboxes that die at their fourth exec (upload, two batches, then death)
        start(3);
        Path samples = EvalFixtures.repeat("canonical.jsonl", 10, dir, "many.jsonl");
        Files.write(samples, Files.readAllLines(EvalFixtures.repeat("wrong.jsonl", 10, dir, "wrong-many.jsonl")),
                java.nio.file.StandardOpenOption.APPEND);

        // when
        EvaluationReport report = evaluation(samples).workers(4).maxBatchSamples(5).build().run();

        // then
        List<ObjectNode> lines = EvalFixtures.lines(report.results());
        assertThat(lines).hasSize(120);
        assertThat(lines.subList(0, 60)).allSatisfy(line -> assertThat(line.get("result").asText()).isEqualTo("passed"));
        assertThat(lines.subList(60, 120)).allSatisfy(line -> assertThat(line.get("result").asText()).isEqualTo("failed: "));
        assertThat(report.tasks()).allSatisfy(task -> assertThat(task.samples()).isEqualTo(20));
        assertThat(report.passAtK().get(1)).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(recording.killed.get()).isPositive();
        assertThat(recording.created.get()).isGreaterThan(4);
        assertThat(emulator.runningSandboxes()).isZero();
    }

    @Test
    void should_stop_at_max_cost_and_finish_the_same_file_when_rerun() throws Exception {
        // given
        start(0);
        Path samples = EvalFixtures.repeat("canonical.jsonl", 4, dir, "budget.jsonl");
        Path reference = EvalFixtures.repeat("canonical.jsonl", 4, dir, "reference.jsonl");
        evaluation(reference).maxBatchSamples(4).build().run();
        BigDecimal enough = pricing().perSandbox().add(pricing().exec().multiply(BigDecimal.valueOf(2)));

        // when
        EvaluationReport stopped = evaluation(samples).maxBatchSamples(4).maxCost(enough).build().run();
        EvaluationReport resumed = evaluation(samples).maxBatchSamples(4).build().run();

        // then
        assertThat(stopped.complete()).isFalse();
        assertThat(stopped.samples()).isEqualTo(8);
        assertThat(stopped.stoppedBecause()).startsWith("the next call would take spending past --max-cost $");
        assertThat(resumed.complete()).isTrue();
        assertThat(resumed.evaluatedThisRun()).isEqualTo(16);
        assertThat(Files.readString(resumed.results())).isEqualTo(Files.readString(Evaluation.resultsFile(reference)));
        assertThat(emulator.runningSandboxes()).isZero();
    }

    @Test
    void should_wait_out_a_429_and_rerun_the_same_batch_on_the_same_sandbox() throws Exception {
        // given
        start(0);
        Path reference = EvalFixtures.repeat("canonical.jsonl", 2, dir, "reference.jsonl");
        Path samples = EvalFixtures.repeat("canonical.jsonl", 2, dir, "limited.jsonl");
        evaluation(reference).maxBatchSamples(4).build().run();
        long createsWithoutFault = creates();
        long execsWithoutFault = emulator.requests().stream().filter(r -> r.operation().equals("exec") && r.status() == 200).count();

        // when: the first exec of the second run is answered 429, Retry-After 1 s
        emulator.inject("exec", io.sandbox402.emulator.Fault.tooManyRequests(1));
        long started = System.nanoTime();
        EvaluationReport report = evaluation(samples).maxBatchSamples(4).build().run();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then
        assertThat(emulator.requests()).anySatisfy(r -> assertThat(r.status()).isEqualTo(429));
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(report.complete()).isTrue();
        assertThat(EvalFixtures.lines(report.results())).allSatisfy(line -> assertThat(line.get("result").asText()).isEqualTo("passed"));
        assertThat(Files.readString(report.results())).isEqualTo(Files.readString(Evaluation.resultsFile(reference)));
        assertThat(creates() - createsWithoutFault).isEqualTo(createsWithoutFault);
        assertThat(emulator.requests().stream().filter(r -> r.operation().equals("exec") && r.status() == 200).count())
                .isEqualTo(2 * execsWithoutFault);
        assertThat(emulator.runningSandboxes()).isZero();
    }

    @Test
    void should_read_retry_after_from_blockruns_429_message_and_cap_it() {
        assertThat(SandboxWorker.retryAfter("BlockRun is rate limiting exec (429, Retry-After 7 s); a paid exec is"))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(SandboxWorker.retryAfter("(429, Retry-After 3600 s)")).isEqualTo(Duration.ofSeconds(60));
        assertThat(SandboxWorker.retryAfter("BlockRun is rate limiting exec (429)")).isEqualTo(Duration.ofSeconds(1));
    }

    long creates() {
        return emulator.requests().stream().filter(r -> r.operation().equals("create") && r.status() == 200).count();
    }
}
