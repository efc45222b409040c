package io.sandbox402.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.agent.OpenAiChatCompletions;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chat} with piped input: {@code --file} inputs are in the sandbox before the first turn, and the model is told. */
class ChatCommandTest {
    @TempDir
    Path dir;

    @Test
    void should_upload_input_files_before_the_first_turn() throws Exception {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
        }
        Path data = Files.writeString(dir.resolve("data.csv"), "a,b\n1,2\n");
        try (MockWebServer model = new MockWebServer()) {
            model.enqueue(OpenAiChatCompletions.toolCall("call_1", "run_code",
                    "{\"language\":\"python\",\"code\":\"print(open('data.csv').read().splitlines()[1])\"}"));
            model.enqueue(OpenAiChatCompletions.answer("The row is 1,2."));
            model.enqueue(OpenAiChatCompletions.answer("Still here."));
            model.start();

            CliProcess.Outcome outcome = Cli.runWithInput(Map.of("OPENAI_BASE_URL", model.url("/v1").toString()),
                    "/files\nwhat is in the second line?\nand now?\n/quit\n",
                    "chat", "--sandbox", "local", "--file", data.toString());

            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).contains("(uploaded data.csv)", "data.csv\n", "assistant> The row is 1,2.",
                    "assistant> Still here.");
            assertThat(outcome.stderr()).contains("   │ 1,2");
            String first = body(model.takeRequest());
            assertThat(first).contains("what is in the second line?",
                    "Input files, already in the sandbox's working directory:\\n- data.csv (8 bytes)");
            body(model.takeRequest()); // the tool result
            String third = body(model.takeRequest());
            assertThat(third.split("Input files, already", -1)).as("the note is sent once").hasSize(2);
        }
    }

    @Test
    void should_refuse_a_missing_input_file_before_any_sandbox() {
        CliProcess.Outcome outcome = Cli.runWithInput(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:1/v1"), "/quit\n",
                "chat", "--sandbox", "local", "--file", dir.resolve("missing.csv").toString());

        assertThat(outcome.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(outcome.stderr()).contains("--file " + dir.resolve("missing.csv") + ": no such readable file.");
        assertThat(outcome.stdout()).doesNotContain("chat on the");
    }

    private static String body(RecordedRequest request) {
        return request.getBody() == null ? "" : request.getBody().utf8();
    }
}
