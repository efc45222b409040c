package io.sandbox402.agent;

import java.math.BigDecimal;

/** Progress of a task, for people watching: each run as it starts and ends. Called on the solving thread. */
public interface CodeInterpreterListener {

    default void stepStarted(int number, String language, String code) {}

    /** A run ended; {@code spent} is what the task has cost so far. */
    default void stepFinished(Step step, BigDecimal spent) {}
}
