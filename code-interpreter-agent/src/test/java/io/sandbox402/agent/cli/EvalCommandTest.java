package io.sandbox402.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.agent.OpenAiChatCompletions;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code code-interpreter eval} as a user runs it, in this JVM through {@link Main#run}: its exit codes, its report. */
class EvalCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path problems;
    Path samples;

    @BeforeAll
    static void requireBubblewrap() {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
        }
    }

    @BeforeEach
    void files() throws Exception {
        problems = dir.resolve("problems.jsonl");
        Files.writeString(problems, "{\"task_id\": \"T/0\", \"prompt\": \"def add(a, b):\\n\", \"canonical_solution\":"
                + " \"    return a + b\\n\", \"test\": \"def check(candidate):\\n    assert candidate(2, 3) == 5\\n\","
                + " \"entry_point\": \"add\"}\n");
        samples = dir.resolve("samples.jsonl");
        Files.writeString(samples, "{\"task_id\": \"T/0\", \"completion\": \"    return a + b\\n\"}\n"
                + "{\"task_id\": \"T/0\", \"completion\": \"    import sys; sys.exit(0)\\n\"}\n");
    }

    @Test
    void should_evaluate_locally_and_print_a_json_report() throws Exception {
        // when
        CliProcess.Outcome outcome = Cli.run(Map.of(), "eval", "--problems", problems.toString(), "--samples",
                samples.toString(), "--sandbox", "local", "--k", "1,2,10", "--json");

        // then
        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        JsonNode report = JSON.readTree(outcome.stdout());
        assertThat(report.get("samples").asInt()).isEqualTo(2);
        assertThat(report.get("passed").asInt()).isEqualTo(1);
        assertThat(report.get("pass_at_k").get("pass@1").asDouble()).isEqualTo(0.5);
        assertThat(report.get("pass_at_k").get("pass@2").asDouble()).isEqualTo(1.0);
        assertThat(report.get("pass_at_k").has("pass@10")).isFalse();
        assertThat(report.get("tasks").get(0).get("passed").asInt()).isEqualTo(1);
        assertThat(report.get("summary").asText()).isEqualTo(dir.resolve("samples.jsonl_results.html").toString());
        assertThat(dir.resolve("samples.jsonl_results.html")).content().contains("<h2>pass@k</h2>", "<tr><td>1</td><td>0.5000</td></tr>");
        assertThat(Files.readString(dir.resolve("samples.jsonl_results.jsonl"))).isEqualTo(
                "{\"task_id\": \"T/0\", \"completion\": \"    return a + b\\n\", \"result\": \"passed\", \"passed\": true}\n"
                        + "{\"task_id\": \"T/0\", \"completion\": \"    import sys; sys.exit(0)\\n\", \"result\": \"failed: 0\","
                        + " \"passed\": false}\n");
        assertThat(outcome.stderr()).contains("2 samples to evaluate in about 1 batches on 1 local sandbox", "2/2 samples, 50.0% passed");
    }

    @Test
    void should_print_the_estimate_and_exit_3_when_max_cost_stops_a_paid_run() throws Exception {
        // when: $0.01 does not even cover a sandbox (create $0.011, upload and terminate $0.002 each)
        CliProcess.Outcome outcome = Cli.run(Map.of(), "eval", "--problems", problems.toString(), "--samples",
                samples.toString(), "--sandbox", "emulator", "--max-cost", "0.01");

        // then
        assertThat(outcome.exitCode()).as(outcome.stderr()).isEqualTo(3);
        assertThat(outcome.stderr()).contains("estimated cost $0.017 (every sample quick) to", "stops at --max-cost $0.01");
        assertThat(outcome.stdout()).contains("0 samples, 0 passed", "stopped: the next call would take spending past --max-cost $0.01");
    }

    @Test
    void should_report_paid_runs_with_their_cost() throws Exception {
        // when
        CliProcess.Outcome outcome = Cli.run(Map.of(), "eval", "--problems", problems.toString(), "--samples",
                samples.toString(), "--sandbox", "emulator", "--workers", "2");

        // then
        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        assertThat(outcome.stdout()).contains("2 samples, 1 passed (50.0%)", "pass@1 0.5000", "  T/0  1/2",
                "cost: $0.017 on emulator, $0.0085 per sample");
    }

    @Test
    void should_generate_samples_with_a_model_then_evaluate_them() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            // given a model that answers once right (a fenced block repeating the prompt), once wrong
            model.enqueue(OpenAiChatCompletions.answer("Here:\n```python\ndef add(a, b):\n    return a + b\n```\n"));
            model.enqueue(OpenAiChatCompletions.answer("    return a - b\nprint(add(1, 2))\n"));
            model.start();
            Path generated = dir.resolve("generated.jsonl");

            // when
            CliProcess.Outcome outcome = Cli.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()), "eval",
                    "--problems", problems.toString(), "--samples", generated.toString(), "--generate", "2",
                    "--sandbox", "local", "--json");

            // then
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stderr()).contains("generated 2 samples with gpt-4o-mini into " + generated);
            assertThat(Files.readAllLines(generated)).containsExactlyInAnyOrder( // the two calls run at once
                    "{\"task_id\": \"T/0\", \"completion\": \"    return a + b\\n\"}",
                    "{\"task_id\": \"T/0\", \"completion\": \"    return a - b\"}");
            assertThat(JSON.readTree(outcome.stdout()).get("pass_at_k").get("pass@1").asDouble()).isEqualTo(0.5);
        }
    }

    @Test
    void should_exit_2_when_a_sample_names_an_unknown_task() throws Exception {
        // given
        Files.writeString(samples, "{\"task_id\": \"T/9\", \"completion\": \"\"}\n");

        // when
        CliProcess.Outcome outcome = Cli.run(Map.of(), "eval", "--problems", problems.toString(), "--samples",
                samples.toString(), "--sandbox", "local");

        // then
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).isEqualTo("error: " + samples + " line 1 names task_id 'T/9', which is not in the"
                + " problems file.\n");
    }
}
