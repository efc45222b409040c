package io.sandbox402.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.Wallet;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The real OpenAI client against a scripted OpenAI-compatible server, through the real tools and the emulator. */
class OpenAiWireTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_send_tool_schemas_and_return_tool_results_as_tool_messages() throws Exception {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
            try (MockWebServer openAi = new MockWebServer();
                    BlockRunEmulator emulator = BlockRunEmulator.builder().provider(local).build().start();
                    BlockRunProvider provider = BlockRunProvider.builder().apiUrl(emulator.baseUrl())
                            .wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY)).shutdownHook(false).build()) {
                // given
                openAi.enqueue(OpenAiChatCompletions.toolCall("call_1", "run_code",
                        "{\"language\":\"python\",\"code\":\"print(6 * 7)\"}"));
                openAi.enqueue(OpenAiChatCompletions.answer("6 times 7 is 42."));
                openAi.start();
                OpenAiChatModel model = OpenAiChatModel.builder()
                        .baseUrl(openAi.url("/v1").toString())
                        .apiKey("test-key")
                        .modelName("gpt-4o-mini")
                        .timeout(Duration.ofSeconds(30))
                        .maxRetries(0)
                        .build();

                // when
                Solution solution;
                try (CodeInterpreter interpreter = CodeInterpreter.builder().chatModel(model).sandboxProvider(provider)
                        .ledger(provider.ledger()).build()) {
                    solution = interpreter.solve("What is 6 times 7?");
                }

                // then the first request offers the tools with their schemas
                RecordedRequest first = openAi.takeRequest();
                assertThat(first.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
                assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer test-key");
                JsonNode firstBody = JSON.readTree(first.getBody().utf8());
                assertThat(firstBody.get("model").asText()).isEqualTo("gpt-4o-mini");
                assertThat(firstBody.get("messages").get(0).get("role").asText()).isEqualTo("system");
                JsonNode runCode = null;
                for (JsonNode tool : firstBody.get("tools")) {
                    if (tool.get("function").get("name").asText().equals("run_code")) {
                        runCode = tool.get("function");
                    }
                }
                assertThat(runCode).isNotNull();
                assertThat(runCode.get("description").asText()).contains("MUST print");
                assertThat(runCode.get("parameters").get("properties").has("language")).isTrue();
                assertThat(runCode.get("parameters").get("properties").has("code")).isTrue();
                assertThat(runCode.get("parameters").get("required").toString()).contains("language", "code");

                // and the second carries the tool's result as a tool message
                JsonNode messages = JSON.readTree(openAi.takeRequest().getBody().utf8()).get("messages");
                JsonNode toolMessage = messages.get(messages.size() - 1);
                assertThat(toolMessage.get("role").asText()).isEqualTo("tool");
                assertThat(toolMessage.get("tool_call_id").asText()).isEqualTo("call_1");
                assertThat(toolMessage.get("content").asText()).contains("exit_code: 0").contains("stdout:\n42\n")
                        .contains("cost: $0.002");
                assertThat(messages.get(messages.size() - 2).get("tool_calls").get(0).get("id").asText()).isEqualTo("call_1");

                assertThat(solution.answer()).isEqualTo("6 times 7 is 42.");
                assertThat(solution.inputTokens()).isEqualTo(250);
                assertThat(solution.outputTokens()).isEqualTo(50);
                assertThat(emulator.runningSandboxes()).isZero();
                assertThat(solution.cost()).isEqualByComparingTo(provider.ledger().totalCommitted());
            }
        }
    }
}
