package io.sandbox402.tools;

import static io.sandbox402.testing.ScriptedChatModel.json;
import static io.sandbox402.testing.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.BlockRunProfile;
import io.sandbox402.emulator.EmulatorRequest;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.testing.ScriptedChatModel;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.Wallet;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CodeInterpreterToolsTest {
    interface Assistant {
        String chat(@MemoryId String conversation, @UserMessage String message);
    }

    LocalProvider local;
    SandboxSessions sessions;

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        sessions = SandboxSessions.builder().provider(local).maxExecsPerConversation(5).build();
    }

    @AfterEach
    void stop() {
        sessions.close();
        local.close();
        assertThat(local.runningSandboxes()).isZero();
    }

    Assistant assistant(ScriptedChatModel model, Object tools) {
        return AiServices.builder(Assistant.class)
                .chatModel(model)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50))
                .tools(tools)
                .build();
    }

    @Test
    void should_run_code_for_the_model_and_return_its_output() {
        // given
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_code", "{\"language\":\"python\",\"code\":" + json("print(6 * 7)") + "}"),
                request -> ScriptedChatModel.answerOf("The tool said:\n" + ScriptedChatModel.lastToolResult(request)));

        // when
        String reply = assistant(model, new CodeInterpreterTools(sessions)).chat("c1", "What is 6 times 7?");

        // then
        assertThat(reply).contains("exit_code: 0").contains("stdout:\n42\n").contains("stderr:\n(empty)")
                .contains("runs_left: 4").doesNotContain("cost:");
        assertThat(model.requests().get(0).toolSpecifications()).extracting(spec -> spec.name())
                .containsExactlyInAnyOrder("run_code", "write_file", "read_file", "install_packages");
        assertThat(sessions.sandboxes("c1")).hasSize(1);
    }

    @Test
    void should_keep_files_between_calls_of_a_conversation() {
        CodeInterpreterTools tools = new CodeInterpreterTools(sessions);

        assertThat(tools.writeFile("c1", "data/n.txt", "21")).startsWith("Wrote 2 bytes to data/n.txt in sandbox local-");
        String result = tools.runCode("c1", "python", "print(int(open('data/n.txt').read()) * 2)");
        String read = tools.readFile("c1", "data/n.txt");

        assertThat(result).contains("stdout:\n42\n");
        assertThat(read).isEqualTo("21");
    }

    @Test
    void should_answer_failures_as_results() {
        CodeInterpreterTools tools = new CodeInterpreterTools(sessions);

        assertThat(tools.runCode("c1", "cobol", "DISPLAY 'HI'"))
                .isEqualTo("INVALID ARGUMENT: Unknown language 'cobol'. Use python, javascript or bash.");
        assertThat(tools.runCode("c1", "python", "raise ValueError('boom')"))
                .contains("exit_code: 1").contains("ValueError: boom");
        assertThat(tools.readFile("c1", "nope.txt")).startsWith("SANDBOX ERROR: Cannot read nope.txt in sandbox local-");
        assertThat(tools.installPackages("c1", List.of("numpy; rm -rf /")))
                .startsWith("INVALID ARGUMENT: Not a pip requirement: 'numpy; rm -rf /'.");
    }

    @Test
    void should_replace_a_sandbox_that_timed_out() {
        // given a conversation whose sandbox ended behind its back, as when its lifetime passes
        CodeInterpreterTools tools = new CodeInterpreterTools(sessions);
        tools.runCode("c1", "bash", "true");
        io.sandbox402.sandbox.Sandbox current = sessions.sandbox("c1");
        current.terminate();

        // when the model runs code again, twice
        String failed = tools.runCode("c1", "bash", "echo again");
        String retried = tools.runCode("c1", "bash", "echo again");

        // then it is told, and the next run gets a new sandbox
        assertThat(failed).startsWith("SANDBOX ERROR: Sandbox " + current.id() + " is terminated")
                .endsWith("the next call creates a new one, without the old one's files and packages.");
        assertThat(retried).contains("stdout:\nagain\n");
        assertThat(sessions.sandboxes("c1")).extracting(SandboxSessions.SandboxRecord::terminated).containsExactly(true, false);
    }

    @Test
    void should_stop_at_the_run_limit_and_say_so() {
        CodeInterpreterTools tools = new CodeInterpreterTools(sessions);
        for (int i = 0; i < 5; i++) {
            assertThat(tools.runCode("c1", "bash", "echo " + i)).contains("exit_code: 0");
        }

        assertThat(tools.runCode("c1", "bash", "echo again")).isEqualTo("LIMIT: Step limit reached: all 5 runs of this"
                + " conversation are used. Do not call tools again; answer now from the output you already have.");
        assertThat(tools.runCode("c2", "bash", "echo other")).contains("exit_code: 0");
    }

    @Test
    void should_cut_long_output_to_head_and_tail() {
        String result = new CodeInterpreterTools(sessions).runCode("c1", "python",
                "print('H' * 5000)\nprint('x' * 20000)\nprint('T' * 5000)");

        assertThat(result).contains("HHHH").contains("TTTT\n").containsPattern("\\.\\.\\. \\[\\d+ bytes dropped\\] \\.\\.\\.");
        assertThat(result.length()).isLessThan(9_000);
    }

    @Test
    void should_report_cost_and_refuse_politely_when_the_budget_is_spent() {
        // given a paid sandbox with a session cap that covers a create and two runs
        try (BlockRunEmulator emulator = BlockRunEmulator.builder().provider(local).build().start();
                BlockRunProvider paid = BlockRunProvider.builder().apiUrl(emulator.baseUrl())
                        .wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY))
                        .policy(PaymentPolicy.builder().maxSessionCost(new BigDecimal("0.015")).build())
                        .shutdownHook(false).build();
                SandboxSessions paidSessions = SandboxSessions.builder().provider(paid).ledger(paid.ledger()).build()) {
            CodeInterpreterTools tools = new CodeInterpreterTools(paidSessions);

            // when
            String first = tools.runCode("c1", "python", "print(1)");
            String second = tools.runCode("c1", "python", "print(2)");
            String third = tools.runCode("c1", "python", "print(3)");

            // then
            assertThat(first).contains("cost: $0.002 (session total $0.013)");
            assertThat(second).contains("cost: $0.002 (session total $0.015)");
            assertThat(third).startsWith("PAYMENT REFUSED (budget): Payment refused for POST " + emulator.baseUrl())
                    .contains("above the session cap of $0.015")
                    .endsWith("Do not retry; answer with what you have, and say the budget was reached.");
            paidSessions.close("c1");
            assertThat(emulator.runningSandboxes()).isZero();
            // the terminate was paid past the cap, so reaching the budget leaked nothing
            assertThat(paid.ledger().totalSettled()).isEqualByComparingTo("0.017");
        }
    }

    @Test
    void should_run_longer_than_one_exec_in_the_background_and_report_the_paid_polls() {
        // given a paid sandbox whose execs may last 3 s
        try (BlockRunEmulator emulator = BlockRunEmulator.builder().provider(local)
                        .profile(BlockRunProfile.publicBeta().toBuilder().maxExecTimeout(Duration.ofSeconds(3)).build())
                        .build().start();
                BlockRunProvider paid = BlockRunProvider.builder().apiUrl(emulator.baseUrl())
                        .wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY))
                        .limits(SandboxLimits.blockRunPublicBeta().withMaxExecTimeout(Duration.ofSeconds(3)))
                        .shutdownHook(false).build();
                SandboxSessions paidSessions = SandboxSessions.builder().provider(paid).ledger(paid.ledger()).build()) {
            CodeInterpreterTools tools = new CodeInterpreterTools(paidSessions);
            SandboxTools sandboxTools = new SandboxTools(paidSessions);

            // when: programs of 7 s, more than two exec limits
            String program = tools.runCode("c1", "python", "import time\ntime.sleep(7)\nprint('slept')", 20);
            String id = paidSessions.sandboxes("c1").get(0).id();
            String command = sandboxTools.execCommand("c1", id, null, "sleep 7; echo done", 20);

            // then
            assertThat(program).contains("exit_code: 0\n").contains("stdout:\nslept\n")
                    .containsPattern("ran_in_background: yes, [1-9]\\d* polls? \\(each a paid exec\\)");
            assertThat(command).contains("exit_code: 0\n").contains("stdout:\ndone\n")
                    .containsPattern("ran_in_background: yes, [1-9]\\d* polls? \\(each a paid exec\\)");
            assertThat(emulator.requests()).extracting(EmulatorRequest::status).doesNotContain(400);
        }
    }

    @Test
    void should_keep_twenty_concurrent_conversations_apart() throws Exception {
        // given one tools instance shared by 20 conversations
        SandboxSessions shared = SandboxSessions.builder().provider(local).build();
        CodeInterpreterTools tools = new CodeInterpreterTools(shared);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            // when each writes its name and reads back what its sandbox holds
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String conversation = "conversation-" + i;
                results.add(pool.submit(() -> {
                    tools.writeFile(conversation, "me.txt", conversation);
                    return tools.runCode(conversation, "bash", "cat me.txt; echo; ls | wc -l");
                }));
            }

            // then every conversation sees only its own file, in its own sandbox
            for (int i = 0; i < 20; i++) {
                assertThat(results.get(i).get()).contains("stdout:\nconversation-" + i + "\n1\n");
            }
            assertThat(local.runningSandboxes()).isEqualTo(20);
            assertThat(java.util.stream.IntStream.range(0, 20)
                    .mapToObj(i -> shared.sandboxes("conversation-" + i).get(0).id()).distinct().count()).isEqualTo(20);
        } finally {
            pool.shutdown();
            shared.close();
        }
        assertThat(local.runningSandboxes()).isZero();
    }
}
