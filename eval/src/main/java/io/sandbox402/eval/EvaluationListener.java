package io.sandbox402.eval;

/** Hears how an evaluation goes; called from worker threads, one call at a time. */
public interface EvaluationListener {
    /** Before the first sandbox is created. */
    default void estimated(Estimate estimate) {}

    /** After each batch's verdicts are written. */
    default void progressed(Progress progress) {}

    EvaluationListener NONE = new EvaluationListener() {};
}
