package io.sandbox402.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI as a user runs it: a separate JVM, its exit codes, its output. */
class CliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void requireBubblewrap() {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
        }
    }

    @Test
    void should_run_code_locally_and_exit_with_its_exit_code() throws Exception {
        CliProcess.Outcome outcome = CliProcess.run(Map.of(), "run", "--sandbox", "local", "-l", "python",
                "import sys\nprint('hello')\nprint('oops', file=sys.stderr)\nsys.exit(4)");

        assertThat(outcome.exitCode()).isEqualTo(4);
        assertThat(outcome.stdout()).isEqualTo("hello\n");
        assertThat(outcome.stderr()).isEqualTo("oops\n");
    }

    @Test
    void should_read_code_from_standard_input() throws Exception {
        CliProcess.Outcome outcome = CliProcess.runWithInput(Map.of(), "echo from-stdin", "run", "--sandbox", "local", "--language", "bash");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.stdout()).isEqualTo("from-stdin\n");
    }

    @Test
    void should_print_paid_runs_as_json() throws Exception {
        CliProcess.Outcome outcome = CliProcess.run(Map.of(), "run", "--sandbox", "emulator", "--json", "print(6 * 7)");

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        JsonNode json = JSON.readTree(outcome.stdout());
        assertThat(json.get("stdout").asText()).isEqualTo("42\n");
        assertThat(json.get("returncode").asInt()).isZero();
        assertThat(json.get("sandbox").asText()).isEqualTo("emulator");
        assertThat(json.get("cost_usd").decimalValue()).isEqualByComparingTo("0.012");
        assertThat(json.get("payments")).hasSize(3);
        assertThat(json.get("payments").get(0).get("outcome").asText()).isEqualTo("settled");
        assertThat(json.get("payments").get(0).get("transaction").asText()).matches("0x[0-9a-f]{64}");
    }

    @Test
    void should_exit_3_when_the_policy_refuses_a_payment() throws Exception {
        CliProcess.Outcome outcome = CliProcess.run(Map.of("BLOCKRUN_MAX_COST_PER_CALL", "0.005"),
                "run", "--sandbox", "emulator", "print(1)");

        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.stderr()).startsWith("error: Payment refused for POST http://127.0.0.1:")
                .contains("the server asks $0.0100 (10000 USDC units), above the per-call cap of $0.0050. Raise it with"
                        + " --max-cost-per-call or BLOCKRUN_MAX_COST_PER_CALL.");
    }

    @Test
    void should_let_flags_win_over_variables() throws Exception {
        CliProcess.Outcome outcome = CliProcess.run(Map.of("BLOCKRUN_MAX_COST_PER_CALL", "0.005"),
                "run", "--sandbox", "emulator", "--max-cost-per-call", "0.02", "print(1)");

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    }

    @Test
    void should_fail_at_once_without_a_model() throws Exception {
        CliProcess.Outcome outcome = CliProcess.run(Map.of(), "What is 2 + 2?");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).isEqualTo("error: No model configured. Set OPENAI_API_KEY for OpenAI, or"
                + " OPENAI_BASE_URL for any OpenAI-compatible server (for instance Ollama's http://localhost:11434/v1);"
                + " OPENAI_MODEL picks the model (default gpt-4o-mini).\n");
    }

    @Test
    void should_explain_usage_mistakes_with_exit_2() throws Exception {
        CliProcess.Outcome unknownSandbox = CliProcess.run(Map.of(), "run", "--sandbox", "cloud", "print(1)");
        CliProcess.Outcome noWallet = CliProcess.run(Map.of(), "run", "--sandbox", "blockrun", "print(1)");
        CliProcess.Outcome badOption = CliProcess.run(Map.of(), "run", "--no-such-option");

        assertThat(unknownSandbox.exitCode()).isEqualTo(2);
        assertThat(unknownSandbox.stderr()).isEqualTo("error: Unknown sandbox 'cloud'. Use --sandbox blockrun, local or emulator.\n");
        assertThat(noWallet.exitCode()).isEqualTo(2);
        assertThat(noWallet.stderr()).startsWith("error: BLOCKRUN_WALLET_KEY is not set; --sandbox blockrun pays from that wallet.");
        assertThat(badOption.exitCode()).isEqualTo(2);
        assertThat(badOption.stderr()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void should_answer_a_task_end_to_end_with_a_model_server() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            // given an OpenAI-compatible server scripted to run code once, then answer
            model.enqueue(io.sandbox402.agent.OpenAiChatCompletions.toolCall("call_1", "run_code",
                    "{\"language\":\"python\",\"code\":\"a, b = 0, 1\\nfor _ in range(40):\\n    a, b = b, a + b\\nprint(a)\"}"));
            model.enqueue(io.sandbox402.agent.OpenAiChatCompletions.answer("The 40th Fibonacci number is 102334155."));
            model.start();

            // when
            CliProcess.Outcome outcome = CliProcess.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()),
                    "What is the 40th Fibonacci number? Compute it.", "--sandbox", "emulator");

            // then
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).contains("── step 1 (python)\n   a, b = 0, 1\n")
                    .contains("   → exit 0 in ")
                    .contains("The 40th Fibonacci number is 102334155.")
                    .containsPattern("\\[1 steps, \\$0\\.0120 on emulator, 300 tokens\\]");
        }
    }

    @Test
    void should_print_the_solution_as_json() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            model.enqueue(io.sandbox402.agent.OpenAiChatCompletions.toolCall("call_1", "run_code",
                    "{\"language\":\"bash\",\"code\":\"echo 42\"}"));
            model.enqueue(io.sandbox402.agent.OpenAiChatCompletions.answer("42"));
            model.start();

            CliProcess.Outcome outcome = CliProcess.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()),
                    "ask", "--json", "--sandbox", "local", "Say 42");

            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            JsonNode json = JSON.readTree(outcome.stdout());
            assertThat(json.get("answer").asText()).isEqualTo("42");
            assertThat(json.get("outcome").asText()).isEqualTo("answered");
            assertThat(json.get("steps").get(0).get("stdout").asText()).isEqualTo("42\n");
            assertThat(json.get("sandboxes").get(0).get("terminated").asBoolean()).isTrue();
            assertThat(outcome.stderr()).contains("── step 1 (bash)");
        }
    }

    @Test
    void should_report_a_ready_setup() throws Exception {
        try (MockWebServer model = new MockWebServer();
                LocalProvider local = LocalProvider.builder().shutdownHook(false).build();
                BlockRunEmulator emulator = BlockRunEmulator.builder().provider(local).build().start()) {
            model.enqueue(new MockResponse.Builder().code(200).body("{\"data\":[]}").build());
            model.start();

            CliProcess.Outcome outcome = CliProcess.run(Map.of(
                    "OPENAI_BASE_URL", model.url("/v1").toString(),
                    "BLOCKRUN_API_URL", emulator.baseUrl(),
                    "BLOCKRUN_WALLET_KEY", DevKeys.ACCOUNT_0_KEY), "doctor");

            assertThat(outcome.exitCode()).as(outcome.stdout()).isZero();
            assertThat(outcome.stdout())
                    .contains("ok      model: gpt-4o-mini at " + model.url("/v1") + " (GET /models answered 200)")
                    .contains("ok      wallet: " + DevKeys.ACCOUNT_0_ADDRESS)
                    .contains("ok      blockrun: " + emulator.baseUrl() + " quotes create $0.0100, exec $0.0010 (eip155:8453)")
                    .contains("ok      local: bubblewrap")
                    .contains("Ready: 'ask' would use the blockrun sandbox.")
                    .doesNotContain(DevKeys.ACCOUNT_0_KEY.substring(2));
            assertThat(emulator.payments()).isEmpty();
        }
    }

    @Test
    void should_say_what_is_missing() throws Exception {
        CliProcess.Outcome outcome = CliProcess.run(Map.of("BLOCKRUN_API_URL", "http://127.0.0.1:1/api"), "doctor");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stdout())
                .contains("MISSING model: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any OpenAI-compatible server")
                .contains("info    wallet: BLOCKRUN_WALLET_KEY is not set (needed only for --sandbox blockrun).")
                .contains("FAIL    blockrun: Cannot reach BlockRun at http://127.0.0.1:1/api/v1/modal/sandbox/create")
                .contains("Not ready: 'ask' would use the local sandbox; configure a model first.");
    }

    @Test
    void should_run_the_emulator_in_the_foreground() throws Exception {
        Process process = CliProcess.builder(Map.of(), "emulator", "--port", "0").start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertThat(first).matches("BlockRun emulator listening on http://127\\.0\\.0\\.1:\\d+/api");
            assertThat(out.readLine()).isEqualTo("Use it from another shell:");
            assertThat(out.readLine()).startsWith("  export BLOCKRUN_API_URL=http://127.0.0.1:");
            assertThat(out.readLine()).isEqualTo("  export BLOCKRUN_WALLET_KEY=" + DevKeys.ACCOUNT_0_KEY);
        } finally {
            process.destroy();
            process.waitFor();
        }
    }
}
