package io.sandbox402.tools;

import static io.sandbox402.testing.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.testing.ScriptedChatModel;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SandboxToolsTest {
    interface Assistant {
        String chat(@MemoryId String conversation, @UserMessage String message);
    }

    LocalProvider local;
    SandboxSessions sessions;
    SandboxTools tools;

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        sessions = SandboxSessions.builder().provider(local).maxSandboxesPerConversation(2).build();
        tools = new SandboxTools(sessions);
    }

    @AfterEach
    void stop() {
        sessions.close();
        local.close();
    }

    static String idOf(String result) {
        Matcher matcher = Pattern.compile("sandbox_id: (\\S+)").matcher(result);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    @Test
    void should_quote_no_price_constants_in_tool_descriptions() {
        for (Class<?> type : List.of(SandboxTools.class, CodeInterpreterTools.class)) {
            for (java.lang.reflect.Method method : type.getMethods()) {
                dev.langchain4j.agent.tool.Tool tool = method.getAnnotation(dev.langchain4j.agent.tool.Tool.class);
                if (tool != null) {
                    assertThat(String.join(" ", tool.value())).as(method.getName()).doesNotContain("$").doesNotContain("about");
                }
            }
        }
    }

    @Test
    void should_run_a_command_longer_than_its_timeout_allows_as_a_timed_out_result() {
        String id = idOf(tools.createSandbox("c1", null, null, null, null));

        String result = tools.execCommand("c1", id, null, "sleep 30", 1);

        assertThat(result).contains("(timed out: the command ran too long and was stopped)");
    }

    @Test
    void should_create_exec_check_and_terminate_through_an_ai_service() {
        // given a model that follows the four operations, reading the id from the first result
        String[] id = new String[1];
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("create_sandbox", "{}"),
                request -> {
                    id[0] = idOf(ScriptedChatModel.lastToolResult(request));
                    return toolCall("exec_command", "{\"sandbox_id\":\"" + id[0] + "\",\"shell_command\":\"echo $((6*7))\"}")
                            .apply(request);
                },
                request -> toolCall("sandbox_status", "{\"sandbox_id\":\"" + id[0] + "\"}").apply(request),
                request -> toolCall("terminate_sandbox", "{\"sandbox_id\":\"" + id[0] + "\"}").apply(request),
                request -> ScriptedChatModel.answerOf("done"));
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                .chatMemoryProvider(memoryId -> dev.langchain4j.memory.chat.MessageWindowChatMemory.withMaxMessages(50))
                .tools(tools).build();

        // when
        String reply = assistant.chat("c1", "compute");

        // then
        assertThat(reply).isEqualTo("done");
        assertThat(ScriptedChatModel.lastToolResult(model.requests().get(2))).contains("stdout:\n42\n");
        assertThat(ScriptedChatModel.lastToolResult(model.requests().get(3))).contains("status: running");
        assertThat(ScriptedChatModel.lastToolResult(model.requests().get(4))).isEqualTo("sandbox_id: " + id[0] + "\nstatus: terminated");
        assertThat(local.runningSandboxes()).isZero();
        assertThat(model.requests().get(0).toolSpecifications()).extracting(spec -> spec.name())
                .containsExactlyInAnyOrder("create_sandbox", "exec_command", "sandbox_status", "terminate_sandbox");
    }

    @Test
    void should_run_an_argv_and_time_out_as_a_result() {
        String id = idOf(tools.createSandbox("c1", null, null, null, List.of("echo prepared > p.txt")));

        assertThat(tools.execCommand("c1", id, List.of("cat", "p.txt"), null, null)).contains("stdout:\nprepared\n");
        assertThat(tools.execCommand("c1", id, null, "sleep 10", 1))
                .contains("exit_code: 124 (timed out: the command ran too long and was stopped)");
    }

    @Test
    void should_answer_mistakes_as_results() {
        String id = idOf(tools.createSandbox("c1", null, null, null, null));

        assertThat(tools.execCommand("c1", "sb-made-up", List.of("true"), null, null))
                .isEqualTo("INVALID ARGUMENT: Unknown sandbox_id 'sb-made-up'. Sandboxes of this conversation: [" + id
                        + "]. Create one with create_sandbox.");
        assertThat(tools.execCommand("c2", id, List.of("true"), null, null)).startsWith("INVALID ARGUMENT: Unknown sandbox_id");
        assertThat(tools.execCommand("c1", id, List.of("true"), "true", null))
                .isEqualTo("INVALID ARGUMENT: Give exactly one of command (an array) or shell_command (a string).");
        assertThat(tools.createSandbox("c1", null, null, "H100", null))
                .isEqualTo("SANDBOX ERROR: The local sandbox has no GPU (the spec asks for H100). Use --sandbox blockrun for GPU jobs.");
        assertThat(tools.createSandbox("c1", null, null, "TPU", null)).startsWith("INVALID ARGUMENT: Unknown GPU 'TPU'.");
        tools.terminateSandbox("c1", id);
        assertThat(tools.execCommand("c1", id, List.of("true"), null, null)).startsWith("SANDBOX ERROR: Sandbox " + id + " is terminated");
    }

    @Test
    void should_limit_sandboxes_per_conversation_and_clean_up_on_close() {
        tools.createSandbox("c1", null, null, null, null);
        tools.createSandbox("c1", null, null, null, null);

        assertThat(tools.createSandbox("c1", null, null, null, null)).isEqualTo("LIMIT: Sandbox limit reached: this"
                + " conversation already created 2 sandboxes, the most allowed. Reuse one with its sandbox_id, or answer"
                + " with what you have.");
        assertThat(local.runningSandboxes()).isEqualTo(2);

        assertThat(sessions.close("c1")).extracting(SandboxSessions.SandboxRecord::terminated).containsExactly(true, true);
        assertThat(local.runningSandboxes()).isZero();
    }
}
