package io.sandbox402.eval;

import java.nio.file.Path;
import java.util.Map;

/**
 * One streaming pass over the samples before anything runs: counts them, checks each names a known
 * task and has a completion, checks the results file belongs to these samples, and estimates the
 * batches left, so that a mistake costs nothing and a paid run can be priced first.
 *
 * @param samples samples in the file
 * @param batches batches left to run (an estimate: compression decides the exact split)
 */
record SampleScan(long samples, long batches) {

    static SampleScan of(Path samplesFile, Map<String, Problem> problems, Path resultsFile, long done,
            EvalSettings settings) {
        long count = 0;
        long remainingWeight = 0;
        try (Jsonl.Reader samples = Jsonl.read(samplesFile);
                Jsonl.Reader results = done > 0 ? Jsonl.read(resultsFile) : null) {
            while (samples.hasNext()) {
                Jsonl.Line line = samples.next();
                String taskId = BatchPlanner.text(line.object(), "task_id", line);
                String completion = BatchPlanner.text(line.object(), "completion", line);
                Problem problem = problems.get(taskId);
                if (problem == null) {
                    throw new IllegalArgumentException(samplesFile + " line " + line.number() + " names task_id '"
                            + taskId + "', which is not in the problems file.");
                }
                if (count < done) {
                    String recorded = results.hasNext() ? results.next().object().path("task_id").asText() : null;
                    if (!taskId.equals(recorded)) {
                        throw new IllegalArgumentException("The results file " + resultsFile + " does not belong to "
                                + samplesFile + ": its line " + (count + 1) + " is for task '" + recorded
                                + "', the sample for '" + taskId + "'. Delete or move it to evaluate from the start.");
                    }
                } else {
                    remainingWeight += problem.head(completion).length() + problem.tail().length() + 64L;
                }
                count++;
            }
        }
        if (done > count) {
            throw new IllegalArgumentException("The results file " + resultsFile + " has " + done + " results but "
                    + samplesFile + " only " + count + " samples. Delete or move it to evaluate from the start.");
        }
        long remaining = count - done;
        long bySize = (remainingWeight + 2L * RunnerScript.BATCH_PAYLOAD_CHARS - 1) / (2L * RunnerScript.BATCH_PAYLOAD_CHARS);
        long byCount = (remaining + settings.maxBatchSamples() - 1) / settings.maxBatchSamples();
        return new SampleScan(count, Math.max(bySize, byCount));
    }
}
