package io.sandbox402.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleGeneratorTest {
    @TempDir
    Path dir;

    @Test
    void should_write_n_samples_per_task_and_only_top_up_when_rerun() throws Exception {
        // given
        Path problems = EvalFixtures.copy("problems.jsonl", dir);
        Path samples = dir.resolve("samples.jsonl");
        AtomicInteger calls = new AtomicInteger();
        SampleGenerator.Builder generator = SampleGenerator.builder().problems(problems).samples(samples)
                .completer(prompt -> "    pass  # " + calls.incrementAndGet() + "\n");

        // when
        int first = generator.samplesPerTask(2).build().generate();
        int second = generator.samplesPerTask(3).build().generate();

        // then
        assertThat(first).isEqualTo(12);
        assertThat(second).isEqualTo(6);
        assertThat(calls.get()).isEqualTo(18);
        assertThat(EvalFixtures.lines(samples)).hasSize(18)
                .allSatisfy(line -> assertThat(line.fieldNames()).toIterable().containsExactly("task_id", "completion"));
        assertThat(Files.readAllLines(samples).get(0)).startsWith("{\"task_id\": \"Tiny/0\", \"completion\": \"    pass  # ");
    }

    @Test
    void should_keep_only_the_code_after_the_prompt_up_to_a_stop_sequence() {
        // given
        SampleGenerator generator = SampleGenerator.builder().problems(dir).samples(dir).completer(p -> "").build();
        String prompt = "def f(x):\n    \"\"\"Twice x.\"\"\"\n";

        // then
        assertThat(generator.completion(prompt, "Sure:\n```python\ndef f(x):\n    \"\"\"Twice x.\"\"\"\n    return 2 * x\n```"))
                .isEqualTo("    return 2 * x\n");
        assertThat(generator.completion(prompt, "    return 2 * x\n\nprint(f(2))\nassert f(1) == 2"))
                .isEqualTo("    return 2 * x\n");
        assertThat(generator.completion(prompt, "```\ndef f(x):\n    return x + x\n```"))
                .isEqualTo("def f(x):\n    return x + x\n");
    }
}
