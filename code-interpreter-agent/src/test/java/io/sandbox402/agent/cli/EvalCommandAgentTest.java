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
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code code-interpreter eval --generate N --agent}: plain and agent samples, side by side. */
class EvalCommandAgentTest {
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
    }

    /** Plain: a wrong completion. Agent: runs a test with run_code, then answers a fenced, right completion. */
    private static void enqueue(MockWebServer model) {
        model.enqueue(OpenAiChatCompletions.answer("    return a - b\n"));
        model.enqueue(OpenAiChatCompletions.toolCall("call_1", "run_code",
                "{\"language\": \"python\", \"code\": \"def add(a, b):\\n    return a + b\\nprint(add(2, 3))\\n\"}"));
        model.enqueue(OpenAiChatCompletions.answer("It prints 5.\n```python\ndef add(a, b):\n    return a + b\n```\n"));
    }

    @Test
    void should_compare_plain_and_agent_samples_in_json() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            enqueue(model);
            model.start();

            // when
            CliProcess.Outcome outcome = Cli.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()), "eval",
                    "--problems", problems.toString(), "--samples", samples.toString(), "--generate", "1", "--agent",
                    "--sandbox", "local", "--k", "1", "--json");

            // then
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(model.getRequestCount()).isEqualTo(3);
            model.takeRequest();
            RecordedRequest agentRequest = model.takeRequest();
            assertThat(agentRequest.getBody().utf8()).contains("run_code", "def add(a, b):");
            assertThat(model.takeRequest().getBody().utf8()).contains("5"); // the run's output went back to the model
            assertThat(Files.readString(samples)).isEqualTo("{\"task_id\": \"T/0\", \"completion\": \"    return a - b\\n\"}\n");
            assertThat(Files.readString(dir.resolve("samples.jsonl_agent.jsonl")))
                    .isEqualTo("{\"task_id\": \"T/0\", \"completion\": \"    return a + b\\n\"}\n");
            JsonNode report = JSON.readTree(outcome.stdout());
            assertThat(report.get("pass_at_k").get("pass@1").asDouble()).isEqualTo(0.0);
            assertThat(report.get("agent").get("pass_at_k").get("pass@1").asDouble()).isEqualTo(1.0);
            assertThat(report.get("agent").get("sandboxes_used").asInt()).isEqualTo(1);
            assertThat(report.get("agent").get("sandboxes_terminated").asInt()).isEqualTo(1);
            JsonNode plain = report.get("comparison").get(0);
            JsonNode agent = report.get("comparison").get(1);
            assertThat(plain.get("mode").asText()).isEqualTo("plain");
            assertThat(plain.get("pass@1").asDouble()).isEqualTo(0.0);
            assertThat(plain.get("model_tokens").asLong()).isEqualTo(180);
            assertThat(agent.get("mode").asText()).isEqualTo("agent");
            assertThat(agent.get("pass@1").asDouble()).isEqualTo(1.0);
            assertThat(agent.get("model_tokens").asLong()).isEqualTo(120 + 180);
            assertThat(agent.get("sandbox_cost_usd").decimalValue()).isZero();
            assertThat(agent.get("eval_cost_usd").decimalValue()).isZero();
        }
    }

    @Test
    void should_print_the_side_by_side_table_and_resume_without_calling_the_model_again() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            enqueue(model);
            model.start();
            Map<String, String> env = Map.of("OPENAI_BASE_URL", model.url("/v1").toString());
            String[] args = {"eval", "--problems", problems.toString(), "--samples", samples.toString(), "--generate", "1",
                    "--agent", "--sandbox", "local", "--k", "10"}; // pass@1 is shown even when --k leaves it out

            // when
            CliProcess.Outcome outcome = Cli.run(env, args);
            CliProcess.Outcome again = Cli.run(env, args);

            // then
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).containsPattern("plain\\s+0\\.0000\\s+180\\s+\\$0\\.00\\s")
                    .containsPattern("agent\\s+1\\.0000\\s+300\\s+\\$0\\.00\\s");
            assertThat(outcome.stderr()).contains("agent completion 1: answered, 1 run, 300 tokens", "1 sandboxes, 1 terminated");
            assertThat(again.exitCode()).as(again.stderr()).isZero();
            assertThat(model.getRequestCount()).isEqualTo(3); // everything was in the samples files
            assertThat(again.stdout()).containsPattern("agent\\s+1\\.0000\\s+0\\s+");
        }
    }

    @Test
    void should_report_the_agents_sandbox_dollars_apart_from_the_evaluations_on_a_paid_sandbox() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            enqueue(model);
            model.start();

            // when
            CliProcess.Outcome outcome = Cli.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()), "eval",
                    "--problems", problems.toString(), "--samples", samples.toString(), "--generate", "1", "--agent",
                    "--sandbox", "emulator", "--k", "1", "--json");

            // then
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            JsonNode report = JSON.readTree(outcome.stdout());
            JsonNode plain = report.get("comparison").get(0);
            JsonNode agent = report.get("comparison").get(1);
            assertThat(plain.get("pass@1").asDouble()).isEqualTo(0.0);
            assertThat(agent.get("pass@1").asDouble()).isEqualTo(1.0);
            assertThat(plain.get("sandbox_cost_usd").decimalValue()).isZero(); // plain samples are written without a sandbox
            assertThat(agent.get("sandbox_cost_usd").decimalValue()).isPositive(); // the agent's test run was paid
            assertThat(plain.get("eval_cost_usd").decimalValue()).isPositive();
            assertThat(agent.get("eval_cost_usd").decimalValue()).isPositive()
                    .isEqualByComparingTo(plain.get("eval_cost_usd").decimalValue()); // same work; the agent's runs kept apart
            assertThat(report.get("cost_usd").decimalValue()).isEqualByComparingTo(plain.get("eval_cost_usd").decimalValue());
            assertThat(report.get("agent").get("sandboxes_terminated").asInt())
                    .isEqualTo(report.get("agent").get("sandboxes_used").asInt()).isEqualTo(1);
        }
    }

    @Test
    void should_refuse_agent_without_generate() throws Exception {
        CliProcess.Outcome outcome = Cli.run(Map.of(), "eval", "--problems", problems.toString(), "--samples",
                samples.toString(), "--agent", "--sandbox", "local");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("--agent needs --generate N");
    }
}
