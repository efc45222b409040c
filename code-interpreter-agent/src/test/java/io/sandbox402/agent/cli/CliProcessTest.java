package io.sandbox402.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.agent.OpenAiChatCompletions;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What needs a real process: the locale, signals, the exit of the JVM, what libraries print. */
class CliProcessTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void requireBubblewrap() {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
        }
    }

    @Test
    void should_pass_utf8_output_through_without_a_locale() throws Exception {
        Path code = Files.writeString(dir.resolve("t.py"), "print(\"café → 中\")\n", StandardCharsets.UTF_8);
        Map<String, String> noLocale = Map.of("LANG", CliProcess.UNSET, "LC_ALL", CliProcess.UNSET, "LC_CTYPE", CliProcess.UNSET);

        CliProcess.Outcome plain = CliProcess.run(noLocale, "run", "--sandbox", "local", "-f", code.toString());
        CliProcess.Outcome json = CliProcess.run(noLocale, "run", "--sandbox", "local", "--json", "-f", code.toString());

        assertThat(plain.exitCode()).as(plain.stderr()).isZero();
        assertThat(plain.stdout()).isEqualTo("café → 中\n");
        assertThat(JSON.readTree(json.stdout()).get("stdout").asText()).isEqualTo("café → 中\n");
    }

    @Test
    void should_print_no_logging_warnings() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            model.enqueue(OpenAiChatCompletions.answer("4"));
            model.start();

            CliProcess.Outcome outcome = CliProcess.run(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()),
                    "What is 2 + 2?", "--sandbox", "local");

            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).isEqualTo("4\n");
            assertThat(outcome.stderr()).isEqualTo("[0 steps, free local sandbox, 180 tokens]\n");
        }
    }

    @Test
    void should_say_how_to_install_bubblewrap_for_the_emulator() throws Exception {
        CliProcess.Outcome outcome = CliProcess.run(Map.of("PATH", dir.toString()), "run", "--sandbox", "emulator", "print(1)");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).isEqualTo("error: bubblewrap (bwrap) not found on PATH; the local sandbox needs it."
                + " Install it (apt-get install bubblewrap) or use --sandbox blockrun. The emulator runs the code it is paid"
                + " for in bubblewrap too.\n");
    }

    @Test
    void should_say_how_to_install_bubblewrap_when_the_emulator_command_cannot_run_code() throws Exception {
        CliProcess.Outcome outcome = CliProcess.run(Map.of("PATH", dir.toString()), "emulator", "--port", "0");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).isEqualTo("error: bubblewrap (bwrap) not found on PATH; the local sandbox needs it."
                + " Install it (apt-get install bubblewrap) or use --sandbox blockrun. The emulator runs the code it is paid"
                + " for in bubblewrap.\n");
    }

    @Test
    void should_report_what_was_spent_when_interrupted() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            model.enqueue(OpenAiChatCompletions.toolCall("call_1", "run_code", "{\"language\":\"bash\",\"code\":\"sleep 60\"}"));
            model.start();
            Process process = CliProcess.builder(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()),
                    "ask", "--json", "--sandbox", "emulator", "Wait a minute").start();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            StringBuilder stderr = new StringBuilder();
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                // when the step is running (the deadline bounds a wait for a line that never comes)
                Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
                for (String line = err.readLine(); line != null && !line.contains("sleep 60"); line = err.readLine()) {
                    stderr.append(line).append('\n');
                    assertThat(Instant.now()).as(stderr.toString()).isBefore(deadline);
                }
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();

                // then
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                err.lines().forEach(line -> stderr.append(line).append('\n'));
            }
            assertThat(process.exitValue()).isEqualTo(130);
            assertThat(stderr.toString()).containsPattern("interrupted after \\d+ steps?, \\$0\\.\\d{2,6} spent; every sandbox was terminated\n");
            JsonNode json = JSON.readTree(stdout.get(10, TimeUnit.SECONDS));
            assertThat(json.get("outcome").asText()).isEqualTo("interrupted");
            assertThat(json.get("error").asText()).startsWith("interrupted after ");
            // cost_usd counts what may have been charged: an exec cut short answers 5xx without settling (unused)
            BigDecimal sum = BigDecimal.ZERO;
            for (JsonNode payment : json.get("payments")) {
                if (List.of("settled", "pending", "unknown").contains(payment.get("outcome").asText())) {
                    sum = sum.add(payment.get("usd").decimalValue());
                }
            }
            assertThat(json.get("payments")).hasSizeGreaterThanOrEqualTo(2); // create, exec (unsettled), terminate
            assertThat(json.get("cost_usd").decimalValue()).isEqualByComparingTo(sum);
        }
    }

    @Test
    void should_run_the_emulator_in_the_foreground_with_the_profile_it_is_given() throws Exception {
        Process process = CliProcess.builder(Map.of(), "emulator", "--port", "0", "--profile", "seed-terms").start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertThat(first).matches("BlockRun emulator listening on http://127\\.0\\.0\\.1:\\d+/api");
            String url = first.substring("BlockRun emulator listening on ".length());
            assertThat(out.readLine()).isEqualTo("Use it from another shell:");
            assertThat(out.readLine()).isEqualTo("  export BLOCKRUN_API_URL=" + url);
            assertThat(out.readLine()).isEqualTo("  export BLOCKRUN_WALLET_KEY=" + BlockRunEmulator.DEVELOPMENT_KEY);
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("Profile: "));
            assertThat(line).startsWith("Profile: seed-terms ");

            // a free quote: the seed terms' exec costs $0.001, the public beta's $0.002
            java.net.http.HttpResponse<String> quote = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/v1/modal/sandbox/exec"))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"sandbox_id\":\"sb-1\",\"command\":[\"true\"]}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(quote.statusCode()).isEqualTo(402);
            assertThat(quote.body()).contains("\"amount\":\"0.0010\"");
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    private static String read(InputStream in) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
