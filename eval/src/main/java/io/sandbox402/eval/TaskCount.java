package io.sandbox402.eval;

/**
 * How one task's samples did.
 *
 * @param taskId the task
 * @param samples how many samples were evaluated
 * @param passed how many passed
 */
public record TaskCount(String taskId, int samples, int passed) {

    /**
     * Checks the counts.
     *
     * @param taskId the task
     * @param samples how many samples were evaluated, at least 0
     * @param passed how many passed, 0 to {@code samples}
     * @throws IllegalArgumentException unless {@code 0 <= passed <= samples}
     */
    public TaskCount {
        if (samples < 0 || passed < 0 || passed > samples) {
            throw new IllegalArgumentException("Need 0 <= passed <= samples, got samples=" + samples + ", passed=" + passed);
        }
    }
}
