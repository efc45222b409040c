package io.sandbox402.eval;

/**
 * How one task's samples did.
 *
 * @param taskId the task
 * @param samples how many samples were evaluated
 * @param passed how many passed
 */
public record TaskCount(String taskId, int samples, int passed) {

    public TaskCount {
        if (samples < 0 || passed < 0 || passed > samples) {
            throw new IllegalArgumentException("Need 0 <= passed <= samples, got samples=" + samples + ", passed=" + passed);
        }
    }
}
