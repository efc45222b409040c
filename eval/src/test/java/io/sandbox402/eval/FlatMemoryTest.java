package io.sandbox402.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.SandboxStatus;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.InflaterOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays flat however many samples there are: 100,000 samples through the whole pipeline (scan,
 * planner, four workers, ordered results file) on a fake sandbox that answers each batch the way the
 * runner does, without running anything. The used heap after GC at 10,000 and at 100,000 samples done
 * differs by less than 16 MiB.
 */
class FlatMemoryTest {
    static final int SAMPLES = 100_000;
    static final long BOUND = 16L << 20;

    @TempDir
    Path dir;

    @Test
    void should_keep_the_heap_flat_over_100000_samples() throws IOException {
        // given: samples written line by line to disk, never held
        EvalFixtures.copy("problems.jsonl", dir);
        Path samples = dir.resolve("many.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(samples)) {
            for (int i = 0; i < SAMPLES; i++) {
                out.write("{\"task_id\": \"Tiny/" + (i % 6) + "\", \"completion\": \"    return " + i + "  # sample " + i
                        + "\\n\"}\n");
            }
        }
        long[] heap = new long[2];
        AtomicInteger maxPending = new AtomicInteger();
        FakeProvider provider = new FakeProvider(maxPending);

        // when
        EvaluationReport report = Evaluation.builder().provider(provider).problems(dir.resolve("problems.jsonl"))
                .samples(samples).workers(4).maxBatchSamples(50).listener(new EvaluationListener() {
                    @Override
                    public void progressed(Progress progress) {
                        if (heap[0] == 0 && progress.done() >= 10_000) {
                            heap[0] = usedAfterGc();
                        } else if (progress.done() == SAMPLES) {
                            heap[1] = usedAfterGc();
                        }
                    }
                }).build().run();

        // then
        assertThat(report.complete()).isTrue();
        assertThat(report.samples()).isEqualTo(SAMPLES);
        assertThat(report.passed()).isEqualTo(SAMPLES);
        assertThat(heap[0]).isPositive();
        assertThat(heap[1]).isPositive();
        System.out.printf("FlatMemoryTest: used heap after GC %.1f MiB at 10,000 samples, %.1f MiB at 100,000"
                + " (difference %+.1f MiB); largest batch in one exec %d samples, %d execs%n", heap[0] / 1048576.0,
                heap[1] / 1048576.0, (heap[1] - heap[0]) / 1048576.0, maxPending.get(), provider.execs.get());
        assertThat(heap[1] - heap[0]).isLessThan(BOUND);
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Sandboxes that answer like the runner (HMAC-tagged verdicts, every sample passes) and run nothing. */
    static final class FakeProvider implements SandboxProvider {
        final AtomicInteger execs = new AtomicInteger();
        final AtomicInteger maxBatch;
        final AtomicInteger ids = new AtomicInteger();

        FakeProvider(AtomicInteger maxBatch) {
            this.maxBatch = maxBatch;
        }

        @Override
        public Sandbox create(SandboxSpec spec) {
            String id = "fake-" + ids.incrementAndGet();
            return new Sandbox() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public ExecResult exec(ExecRequest request) {
                    execs.incrementAndGet();
                    String stdout = request.command().get(3).contains("uploaded")
                            ? RunnerScript.PREFIX + " uploaded\n"
                            : answer(String.join("", request.command().subList(RunnerScript.BATCH_FIXED_SEGMENTS,
                                    request.command().size())));
                    return new ExecResult(stdout, "", 0, Duration.ofMillis(1), BigDecimal.ZERO, false, false);
                }

                @Override
                public SandboxStatus status() {
                    return null;
                }

                @Override
                public void terminate() {}
            };
        }

        String answer(String payload) {
            try {
                ByteArrayOutputStream json = new ByteArrayOutputStream();
                try (InflaterOutputStream inflater = new InflaterOutputStream(json)) {
                    inflater.write(Base64.getDecoder().decode(payload));
                }
                JsonNode batch = Jsonl.JSON.readTree(json.toString(StandardCharsets.UTF_8));
                maxBatch.accumulateAndGet(batch.get("samples").size(), Math::max);
                byte[] key = new byte[32];
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                StringBuilder out = new StringBuilder(RunnerScript.PREFIX + " key " + HexFormat.of().formatHex(key) + "\n");
                for (JsonNode sample : batch.get("samples")) {
                    line(out, mac, "{\"i\": " + sample.get("i").asLong() + ", \"r\": \"passed\"}");
                }
                line(out, mac, "{\"end\": true}");
                return out.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static void line(StringBuilder out, Mac mac, String json) {
            String tag = HexFormat.of().formatHex(mac.doFinal(json.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
            out.append(RunnerScript.PREFIX).append(' ').append(tag).append(' ').append(json).append('\n');
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String description() {
            return "fake sandboxes";
        }

        @Override
        public void close() {}
    }
}
