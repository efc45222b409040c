package io.sandbox402.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.agent.OpenAiChatCompletions;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it, in this JVM through {@link Main#run}: its exit codes and its output. */
class CliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = BlockRunEmulator.DEVELOPMENT_KEY;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireBubblewrap() {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
        }
    }

    @Test
    void should_run_code_locally_and_exit_with_its_exit_code() {
        CliProcess.Outcome outcome = Cli.run(Map.of(), "run", "--sandbox", "local", "-l", "python",
                "import sys\nprint('hello')\nprint('oops', file=sys.stderr)\nsys.exit(4)");

        assertThat(outcome.exitCode()).isEqualTo(4);
        assertThat(outcome.stdout()).isEqualTo("hello\n");
        assertThat(outcome.stderr()).isEqualTo("oops\n");
    }

    @Test
    void should_read_code_from_standard_input() {
        CliProcess.Outcome outcome = Cli.runWithInput(Map.of(), "echo from-stdin", "run", "--sandbox", "local", "--language", "bash");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.stdout()).isEqualTo("from-stdin\n");
    }

    @Test
    void should_refuse_piped_input_it_would_ignore_and_empty_code() {
        CliProcess.Outcome piped = Cli.runWithInput(Map.of(), "data", "run", "--sandbox", "local", "print(1)");
        CliProcess.Outcome empty = Cli.run(Map.of(), "run", "--sandbox", "emulator", "");

        assertThat(piped.exitCode()).isEqualTo(2);
        assertThat(piped.stderr()).isEqualTo("error: Standard input has data, but programs get no standard input, and the"
                + " code is the argument. Upload the data with --file PATH and open it by name, or pipe the code itself.\n");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.stderr()).isEqualTo("error: The code is empty; nothing to run (and nothing paid). Give it as an"
                + " argument, with -f FILE, or on standard input.\n");
    }

    @Test
    void should_infer_the_language_from_the_extension_or_the_shebang() throws IOException {
        Path script = Files.writeString(dir.resolve("t.sh"), "echo \"${BASH_VERSION:+bash}\"\n");
        Path shebang = Files.writeString(dir.resolve("tool"), "#!/usr/bin/env bash\necho \"${BASH_VERSION:+bash}\"\n");

        CliProcess.Outcome byExtension = Cli.run(Map.of(), "run", "--sandbox", "local", "-f", script.toString());
        CliProcess.Outcome byShebang = Cli.run(Map.of(), "run", "--sandbox", "local", "-f", shebang.toString());

        assertThat(byExtension.exitCode()).as(byExtension.stderr()).isZero();
        assertThat(byExtension.stdout()).isEqualTo("bash\n");
        assertThat(byShebang.stdout()).isEqualTo("bash\n");
    }

    @Test
    void should_upload_input_files_before_running() throws IOException {
        Path data = Files.writeString(dir.resolve("data.csv"), "a,b\n1,2\n");

        CliProcess.Outcome outcome = Cli.run(Map.of(), "run", "--sandbox", "local", "--file", data.toString(),
                "print(open('data.csv').read().splitlines()[1])");

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        assertThat(outcome.stdout()).isEqualTo("1,2\n");
    }

    @Test
    void should_print_paid_runs_as_json() throws Exception {
        CliProcess.Outcome outcome = Cli.run(Map.of(), "run", "--sandbox", "emulator", "--json", "print(6 * 7)");

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        JsonNode json = JSON.readTree(outcome.stdout());
        assertThat(json.get("stdout").asText()).isEqualTo("42\n");
        assertThat(json.get("returncode").asInt()).isZero();
        assertThat(json.get("sandbox").asText()).isEqualTo("emulator");
        assertThat(json.get("cost_usd").decimalValue()).isEqualByComparingTo("0.015"); // create 0.011, exec 0.002, terminate 0.002
        assertThat(json.get("payments")).hasSize(3);
        assertThat(json.get("payments").get(0).get("outcome").asText()).isEqualTo("settled");
        assertThat(json.get("payments").get(0).get("transaction").asText()).matches("0x[0-9a-f]{64}");
    }

    @Test
    void should_put_the_payment_summary_on_its_own_line() {
        CliProcess.Outcome outcome = Cli.run(Map.of(), "run", "--sandbox", "emulator", "print('no newline', end='')");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.stdout()).isEqualTo("no newline");
        assertThat(outcome.stderr()).isEqualTo("\n[emulator: 3 payments, $0.015]\n");
    }

    @Test
    void should_exit_3_when_the_policy_refuses_a_payment() {
        CliProcess.Outcome outcome = Cli.run(Map.of("BLOCKRUN_MAX_COST_PER_CALL", "0.005"),
                "run", "--sandbox", "emulator", "print(1)");

        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.stderr()).startsWith("error: Payment refused for POST http://127.0.0.1:")
                .contains("the server asks $0.011 (11000 USDC units), above the per-call cap of $0.005. Raise it with"
                        + " --max-cost-per-call or BLOCKRUN_MAX_COST_PER_CALL.");
    }

    @Test
    void should_print_one_json_object_on_failure() throws Exception {
        CliProcess.Outcome outcome = Cli.run(Map.of("BLOCKRUN_MAX_COST_PER_CALL", "0.005"),
                "run", "--json", "--sandbox", "emulator", "print(1)");
        CliProcess.Outcome usage = Cli.run(Map.of(), "run", "--json", "--no-such-option");

        assertThat(outcome.exitCode()).isEqualTo(3);
        JsonNode json = JSON.readTree(outcome.stdout());
        assertThat(json.get("error").asText()).startsWith("Payment refused for POST http://127.0.0.1:");
        assertThat(json.get("exit_code").asInt()).isEqualTo(3);
        assertThat(json.get("cost_usd").decimalValue()).isEqualByComparingTo("0");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(JSON.readTree(usage.stdout()).get("error").asText()).isEqualTo("Unknown option: '--no-such-option'");
    }

    @Test
    void should_let_flags_win_over_variables() {
        CliProcess.Outcome outcome = Cli.run(Map.of("BLOCKRUN_MAX_COST_PER_CALL", "0.005"),
                "run", "--sandbox", "emulator", "--max-cost-per-call", "0.02", "print(1)");

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    }

    @Test
    void should_fail_at_once_without_a_model() {
        CliProcess.Outcome outcome = Cli.run(Map.of(), "What is 2 + 2?");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).isEqualTo("error: No model configured. Set OPENAI_API_KEY for OpenAI, or"
                + " OPENAI_BASE_URL for any OpenAI-compatible server (for instance Ollama's http://localhost:11434/v1);"
                + " OPENAI_MODEL picks the model (default gpt-4o-mini).\n");
    }

    @Test
    void should_explain_usage_mistakes_with_exit_2() throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.py"), "print('caf\u00e9')".getBytes(StandardCharsets.ISO_8859_1));

        CliProcess.Outcome unknownSandbox = Cli.run(Map.of(), "run", "--sandbox", "cloud", "print(1)");
        CliProcess.Outcome noWallet = Cli.run(Map.of(), "run", "--sandbox", "blockrun", "print(1)");
        CliProcess.Outcome badOption = Cli.run(Map.of(), "run", "--no-such-option");
        CliProcess.Outcome steps = Cli.run(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:1/v1"), "ask", "--max-steps", "0", "Hi there");
        CliProcess.Outcome notUtf8 = Cli.run(Map.of(), "run", "-f", latin1.toString());
        CliProcess.Outcome directory = Cli.run(Map.of(), "run", "-f", dir.toString());
        CliProcess.Outcome badKey = Cli.run(Map.of("BLOCKRUN_WALLET_KEY", "0x" + "f".repeat(64)), "run", "print(1)");

        assertThat(unknownSandbox.exitCode()).isEqualTo(2);
        assertThat(unknownSandbox.stderr()).isEqualTo("error: Unknown sandbox 'cloud'. Use --sandbox blockrun, local or emulator.\n");
        assertThat(noWallet.exitCode()).isEqualTo(2);
        assertThat(noWallet.stderr()).startsWith("error: BLOCKRUN_WALLET_KEY is not set; --sandbox blockrun pays from that wallet.");
        assertThat(badOption.exitCode()).isEqualTo(2);
        assertThat(badOption.stderr()).contains("Unknown option: '--no-such-option'");
        assertThat(steps.exitCode()).isEqualTo(2);
        assertThat(steps.stderr()).isEqualTo("error: --max-steps must be at least 1, was 0.\n");
        assertThat(notUtf8.exitCode()).isEqualTo(2);
        assertThat(notUtf8.stderr()).isEqualTo("error: -f " + latin1 + " is not UTF-8 text (Input length = 1). Convert it,"
                + " for instance with iconv -f latin1 -t utf-8.\n");
        assertThat(directory.exitCode()).isEqualTo(2);
        assertThat(directory.stderr()).isEqualTo("error: -f " + dir + " is a directory; give the file that holds the code.\n");
        assertThat(badKey.exitCode()).isEqualTo(2);
        assertThat(badKey.stderr()).startsWith("error: BLOCKRUN_WALLET_KEY is not a valid key: ")
                .endsWith(". It must be a secp256k1 private key: 64 hex digits, optionally after 0x, not zero and below the curve order.\n")
                .doesNotContain("f".repeat(64));
    }

    @Test
    void should_print_the_version_of_the_pom() throws Exception {
        // given the version the build was given (the agent's pom inherits its parent's)
        String pomVersion = javax.xml.xpath.XPathFactory.newInstance().newXPath().evaluate("/project/parent/version",
                javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile()));
        assertThat(pomVersion).isNotBlank();

        // when
        CliProcess.Outcome outcome = Cli.run(Map.of(), "--version");

        // then
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.stdout()).isEqualTo("sandbox402 code-interpreter " + pomVersion + "\n");
    }

    @Test
    void should_refuse_an_unknown_emulator_profile_with_exit_2() {
        CliProcess.Outcome outcome = Cli.run(Map.of(), "emulator", "--port", "0", "--profile", "lenient");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("lenient");
    }

    @Test
    void should_print_help_on_stdout_for_every_command() {
        for (String command : List.of("ask", "run", "emulator", "doctor")) {
            CliProcess.Outcome outcome = Cli.run(Map.of(), command, "--help");

            assertThat(outcome.exitCode()).as(command).isZero();
            assertThat(outcome.stdout()).as(command).startsWith("Usage: code-interpreter " + command);
            assertThat(outcome.stderr()).as(command).isEmpty();
        }
        assertThat(Cli.run(Map.of(), "--help").stdout()).containsPattern("\n  doctor +Check the setup and say what is missing\\.\n");
    }

    @Test
    void should_not_send_a_mistyped_command_to_the_model() {
        CliProcess.Outcome typo = Cli.run(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:1/v1"), "dcotor");
        CliProcess.Outcome unquoted = Cli.run(Map.of(), "run", "the", "numbers");

        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.stderr()).isEqualTo("error: Unknown command 'dcotor'. Did you mean 'doctor'? Commands: ask, run, chat, eval,"
                + " emulator, doctor, help. A task goes in quotes: code-interpreter \"dcotor ...\", or after ask:"
                + " code-interpreter ask dcotor.\n");
        assertThat(unquoted.exitCode()).isEqualTo(2);
        assertThat(unquoted.stderr()).isEqualTo("error: Unmatched argument at index 2: 'numbers'. To ask a task that starts"
                + " with 'run', quote it: code-interpreter \"run the numbers\"\n");
    }

    @Test
    void should_reject_a_blockrun_url_that_does_not_quote_before_paying() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().code(404).setHeader("Content-Type", "application/json").body("{}").build());
            server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body("{\"ok\":true}").build());
            server.enqueue(new MockResponse.Builder().code(501).setHeader("Content-Type", "text/html").body("<html>" + "x".repeat(2000) + "</html>").build());
            server.start();
            String root = server.url("/").toString().replaceAll("/$", "");

            List<CliProcess.Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                outcomes.add(Cli.run(Map.of("BLOCKRUN_WALLET_KEY", KEY, "BLOCKRUN_API_URL", root), "run", "print(1)"));
            }

            String create = "POST " + root + "/v1/modal/sandbox/create answered ";
            String should = " instead of BlockRun's 402 price quote. It should be BlockRun's API root, for instance"
                    + " https://blockrun.ai/api. Did you mean " + root + "/api?\n";
            assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.exitCode()).isEqualTo(2));
            assertThat(outcomes.get(0).stderr()).isEqualTo("error: BLOCKRUN_API_URL is not BlockRun's API: " + create
                    + "404 (application/json, 2 bytes)" + should);
            assertThat(outcomes.get(1).stderr()).isEqualTo("error: BLOCKRUN_API_URL is not BlockRun's API: " + create
                    + "200 (application/json, 11 bytes)" + should);
            assertThat(outcomes.get(2).stderr()).isEqualTo("error: BLOCKRUN_API_URL is not BlockRun's API: " + create
                    + "501 (text/html, 2013 bytes)" + should);
        }
    }

    @Test
    void should_name_the_model_server_and_what_to_check_when_it_fails() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"Invalid key: Bearer sk-test-secret-123456\"}}").build());
            server.start();
            String url = server.url("/v1").toString();

            CliProcess.Outcome refused = Cli.run(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:" + closedPort + "/v1"),
                    "ask", "--sandbox", "local", "Hi there");
            CliProcess.Outcome unknownHost = Cli.run(Map.of("OPENAI_BASE_URL", "http://no-such-host.invalid/v1"),
                    "ask", "--sandbox", "local", "Hi there");
            CliProcess.Outcome unauthorized = Cli.run(Map.of("OPENAI_BASE_URL", url, "OPENAI_API_KEY", "sk-test-secret-123456"),
                    "ask", "--sandbox", "local", "Hi there");

            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.stderr()).isEqualTo("error: Cannot connect to the model server at http://127.0.0.1:" + closedPort
                    + "/v1 (nothing answers there). Check OPENAI_BASE_URL (or --base-url) and that the server is running.\n");
            assertThat(unknownHost.exitCode()).isEqualTo(2);
            assertThat(unknownHost.stderr()).isEqualTo("error: Cannot resolve the host of the model server"
                    + " http://no-such-host.invalid/v1 (unknown host). Check OPENAI_BASE_URL (or --base-url) and the network.\n");
            assertThat(unauthorized.exitCode()).isEqualTo(2);
            assertThat(unauthorized.stderr()).startsWith("error: The model server at " + url + " refused the key (401): ")
                    .contains("Bearer ***").endsWith(". Check OPENAI_API_KEY.\n").doesNotContain("secret");
        }
    }

    @Test
    void should_say_it_is_waiting_and_give_up_at_the_request_timeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never answer
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/v1";

            CliProcess.Outcome outcome = Cli.run(Map.of("OPENAI_BASE_URL", url), "ask", "--sandbox", "local",
                    "--request-timeout", "2", "Hi there");

            assertThat(outcome.exitCode()).isEqualTo(1);
            assertThat(outcome.stderr()).startsWith("   … waiting for the model at " + url + " (1 s of at most 2 s, --request-timeout)\n")
                    .endsWith("error: The model server at " + url + " did not answer within 2 s. Raise --request-timeout,"
                            + " or check the server.\n");
        }
    }

    @Test
    void should_answer_a_task_and_show_each_step_on_standard_error() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            // given an OpenAI-compatible server scripted to explain, run code once, then answer
            model.enqueue(OpenAiChatCompletions.toolCallWithText("call_1", "I will compute it.", "run_code",
                    "{\"language\":\"python\",\"code\":\"for i in range(12):\\n    print(i)\"}"));
            model.enqueue(OpenAiChatCompletions.answer("The numbers are 0 to 11."));
            model.start();

            // when
            CliProcess.Outcome outcome = Cli.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()),
                    "Count to eleven.", "--sandbox", "emulator");

            // then the answer alone is on stdout, and the work on stderr
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).isEqualTo("The numbers are 0 to 11.\n");
            assertThat(outcome.stderr())
                    .startsWith("   » I will compute it.\n── step 1 (python)\n   for i in range(12):\n       print(i)\n"
                            + "   stdout:\n   │ 0\n   │ 1\n   │ 2\n   │ 3\n   │ 4\n   │ 5\n   │ 6\n   │ 7\n   │ … 4 more lines\n"
                            + "   → exit 0 in ")
                    .contains(", $0.013 so far\n")
                    .endsWith("[1 step, $0.015 on emulator, 300 tokens]\n");
        }
    }

    @Test
    void should_print_only_the_answer_when_quiet() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            model.enqueue(OpenAiChatCompletions.toolCall("call_1", "run_code", "{\"language\":\"bash\",\"code\":\"echo 42\"}"));
            model.enqueue(OpenAiChatCompletions.answer("42"));
            model.start();

            CliProcess.Outcome outcome = Cli.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()),
                    "ask", "--quiet", "--sandbox", "local", "Say 42");

            assertThat(outcome.exitCode()).isZero();
            assertThat(outcome.stdout()).isEqualTo("42\n");
            assertThat(outcome.stderr()).isEmpty();
        }
    }

    @Test
    void should_download_the_files_python_cells_make_into_the_output_dir() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            model.enqueue(OpenAiChatCompletions.toolCall("call_1", "run_code",
                    "{\"language\":\"python\",\"code\":\"open('report.csv', 'w').write('n,sq\\\\n3,9\\\\n')\"}"));
            model.enqueue(OpenAiChatCompletions.answer("Wrote report.csv"));
            model.start();
            Path outputs = dir.resolve("outputs");

            CliProcess.Outcome outcome = Cli.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()),
                    "ask", "--sandbox", "local", "--output-dir", outputs.toString(), "Write a table");

            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).isEqualTo("Wrote report.csv\n");
            assertThat(outcome.stderr()).contains("file: " + outputs.resolve("report.csv").toAbsolutePath() + "\n");
            assertThat(Files.readString(outputs.resolve("report.csv"))).isEqualTo("n,sq\n3,9\n");
        }
    }

    @Test
    void should_print_the_solution_as_json() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            model.enqueue(OpenAiChatCompletions.toolCall("call_1", "run_code",
                    "{\"language\":\"bash\",\"code\":\"echo 42\"}"));
            model.enqueue(OpenAiChatCompletions.answer("42"));
            model.start();

            CliProcess.Outcome outcome = Cli.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()),
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
    void should_end_with_the_payment_exit_code_when_no_code_could_run() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            model.enqueue(OpenAiChatCompletions.toolCall("call_1", "run_code", "{\"language\":\"bash\",\"code\":\"echo 42\"}"));
            model.enqueue(OpenAiChatCompletions.answer("I could not run anything."));
            model.start();

            CliProcess.Outcome outcome = Cli.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()),
                    "ask", "--sandbox", "emulator", "--max-cost-per-call", "0.005", "Say 42");

            assertThat(outcome.exitCode()).isEqualTo(3);
            assertThat(outcome.stdout()).isEqualTo("I could not run anything.\n");
            assertThat(outcome.stderr()).startsWith("   ✗ step 1: payment refused: Payment refused for POST http://127.0.0.1:")
                    .contains("[0 steps, $0.00 on emulator, 300 tokens, stopped: a payment was refused by the policy]\n"
                            + "error: Payment refused for POST");
        }
    }

    @Test
    void should_report_a_ready_setup_with_a_server_that_has_no_models_endpoint() throws Exception {
        try (MockWebServer model = new MockWebServer();
                LocalProvider local = LocalProvider.builder().shutdownHook(false).build();
                BlockRunEmulator emulator = BlockRunEmulator.builder().provider(local).build().start()) {
            model.enqueue(OpenAiChatCompletions.answer("ok"));
            model.start();

            CliProcess.Outcome outcome = Cli.run(Map.of(
                    "OPENAI_BASE_URL", model.url("/v1").toString(),
                    "BLOCKRUN_API_URL", emulator.baseUrl(),
                    "BLOCKRUN_WALLET_KEY", KEY), "doctor");

            assertThat(outcome.exitCode()).as(outcome.stdout()).isZero();
            assertThat(model.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
            assertThat(outcome.stdout())
                    .contains("ok      model: gpt-4o-mini at " + model.url("/v1") + " (answered a chat completion)")
                    .contains("ok      wallet: " + DevKeys.ACCOUNT_0_ADDRESS)
                    .contains("ok      blockrun: " + emulator.baseUrl() + " quotes create $0.011, exec $0.002 (eip155:8453)")
                    .contains("ok      local: bubblewrap")
                    .contains("Ready: 'ask' would use the blockrun sandbox.")
                    .doesNotContain(KEY.substring(2));
            assertThat(emulator.payments()).isEmpty();
        }
    }

    @Test
    void should_say_what_is_missing() {
        CliProcess.Outcome outcome = Cli.run(Map.of("BLOCKRUN_API_URL", "http://127.0.0.1:1/api"), "doctor");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stdout())
                .contains("MISSING model: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any OpenAI-compatible server")
                .contains("info    wallet: BLOCKRUN_WALLET_KEY is not set (needed only for --sandbox blockrun).")
                .contains("FAIL    blockrun: Cannot reach BlockRun at http://127.0.0.1:1/api/v1/modal/sandbox/create")
                .contains("Not ready: 'ask' would use the local sandbox; configure a model first.");
    }
}
