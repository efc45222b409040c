package io.sandbox402.eval;

/** Hears how an evaluation goes; called from worker threads, one call at a time. */
public interface EvaluationListener {
    /**
     * Before the first sandbox is created.
     *
     * @param estimate what the run will take and cost
     */
    default void estimated(Estimate estimate) {}

    /**
     * After each batch's verdicts are written.
     *
     * @param progress where the run stands
     */
    default void progressed(Progress progress) {}

    /** A listener that ignores everything, the default. */
    EvaluationListener NONE = new EvaluationListener() {};
}
