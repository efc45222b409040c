package io.sandbox402.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams the samples file into batches, in the samples' order, skipping those already done: each
 * batch as many consecutive samples as fit one exec's payload (compressed) and the batch size cap.
 * Only the batch being built is in memory, so a file of any length takes the same memory.
 */
final class BatchPlanner implements AutoCloseable {
    /** Below this many characters of raw JSON a batch surely fits once compressed: no need to measure it. */
    private static final int SURELY_FITS = RunnerScript.BATCH_PAYLOAD_CHARS / 2;

    private final Jsonl.Reader reader;
    private final Map<String, Problem> problems;
    private final EvalSettings settings;
    private final Path samplesFile;
    private long index;
    private long batchNumber;
    private PendingSample carried;

    /** A batch: consecutive samples, numbered from 0 in this run. */
    record Batch(long number, List<PendingSample> samples) {
        long first() {
            return samples.get(0).index();
        }
    }

    BatchPlanner(Path samplesFile, Map<String, Problem> problems, EvalSettings settings, long skip) {
        this.samplesFile = samplesFile;
        this.reader = Jsonl.read(samplesFile);
        this.problems = problems;
        this.settings = settings;
        while (index < skip && reader.hasNext()) {
            reader.next();
            index++;
        }
    }

    /** The next batch, or {@code null} when every sample is planned. */
    synchronized Batch next() {
        List<PendingSample> batch = new ArrayList<>();
        int weight = 0;
        while (batch.size() < settings.maxBatchSamples()) {
            PendingSample sample = carried != null ? carried : read();
            carried = null;
            if (sample == null) {
                break;
            }
            batch.add(sample);
            weight += sample.weight();
            if (batch.size() > 1 && weight > SURELY_FITS
                    && RunnerScript.payload(settings, batch, 0).length() > RunnerScript.BATCH_PAYLOAD_CHARS) {
                batch.remove(batch.size() - 1);
                carried = sample;
                break;
            }
        }
        return batch.isEmpty() ? null : new Batch(batchNumber++, batch);
    }

    private PendingSample read() {
        if (!reader.hasNext()) {
            return null;
        }
        Jsonl.Line line = reader.next();
        ObjectNode sample = line.object();
        String taskId = text(sample, "task_id", line);
        Problem problem = problems.get(taskId);
        if (problem == null) {
            throw new IllegalArgumentException(samplesFile + " line " + line.number() + " names task_id '" + taskId
                    + "', which is not in the problems file.");
        }
        String completion = text(sample, "completion", line);
        return new PendingSample(index++, sample, problem.head(completion), problem.tail());
    }

    static String text(ObjectNode sample, String field, Jsonl.Line line) {
        JsonNode value = sample.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("Sample on line " + line.number() + " has no string '" + field + "'.");
        }
        return value.asText();
    }

    @Override
    public void close() {
        reader.close();
    }
}
