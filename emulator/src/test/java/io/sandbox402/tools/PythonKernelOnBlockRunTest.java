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
import io.sandbox402.x402.Wallet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stateful Python session through BlockRun's public beta (the emulator, strict): within its
 * limits, one paid exec per cell, cells longer than an exec polled. The emulator's execs last at most
 * 4 s here, so a long cell is short to test.
 */
class PythonKernelOnBlockRunTest {
    interface Assistant {
        String chat(@MemoryId String conversation, @UserMessage String message);
    }

    static final Duration EXEC_LIMIT = Duration.ofSeconds(4);

    LocalProvider local;
    BlockRunEmulator emulator;
    BlockRunProvider paid;
    SandboxSessions sessions;
    CodeInterpreterTools tools;

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local)
                .profile(BlockRunProfile.publicBeta().toBuilder().maxExecTimeout(EXEC_LIMIT).build())
                .build().start();
        paid = BlockRunProvider.builder().apiUrl(emulator.baseUrl())
                .wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY))
                .limits(SandboxLimits.blockRunPublicBeta().withMaxExecTimeout(EXEC_LIMIT))
                .shutdownHook(false).build();
        sessions = SandboxSessions.builder().provider(paid).ledger(paid.ledger()).build();
        tools = new CodeInterpreterTools(sessions);
    }

    @AfterEach
    void stop() {
        sessions.close();
        paid.close();
        assertThat(emulator.runningSandboxes()).isZero();
        emulator.close();
        local.close();
        assertThat(local.runningSandboxes()).isZero();
    }

    long paidExecs() {
        return emulator.requests().stream().filter(r -> r.operation().equals("exec") && r.paid() && r.status() == 200).count();
    }

    @Test
    void should_keep_state_with_one_paid_exec_per_cell_when_a_model_runs_cells_through_blockrun() {
        // given a model that runs three cells
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_code", "{\"language\":\"python\",\"code\":" + json("x = 41") + "}"),
                toolCall("run_code", "{\"language\":\"python\",\"code\":" + json("import math\ndef twice(n):\n    return 2 * n") + "}"),
                toolCall("run_code", "{\"language\":\"python\",\"code\":" + json("print(twice(math.floor(2.5)))\nx + 1") + "}"),
                request -> ScriptedChatModel.answerOf(ScriptedChatModel.lastToolResult(request)));
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(model)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50))
                .tools(tools)
                .build();

        // when
        String reply = assistant.chat("c1", "Compute in steps.");

        // then each cell, the first with the kernel in its arguments, was one paid exec
        assertThat(reply).contains("session: stateful python, cell 3 (").contains("exit_code: 0\n")
                .contains("cost: $0.002 (session total $0.017)").contains("stdout:\n4\n").endsWith("value:\n42");
        assertThat(paidExecs()).isEqualTo(3);
        assertThat(emulator.requests()).extracting(EmulatorRequest::status).doesNotContain(400);
    }

    @Test
    void should_poll_a_cell_to_its_end_when_it_runs_longer_than_one_exec() {
        // given
        tools.runCode("c1", "python", "x = 41");
        long before = paidExecs();

        // when a cell of 7 s runs where execs last 4 s
        String result = tools.runCode("c1", "python", "import time\ntime.sleep(7)\nprint('slept')\nx + 1", 30);

        // then later execs polled it, each paid, and the session kept its state
        assertThat(result).contains("exit_code: 0\n").contains("stdout:\nslept\n").endsWith("value:\n42")
                .containsPattern("ran_in_background: yes, [1-9]\\d* polls? \\(each a paid exec\\)");
        int polls = Integer.parseInt(result.replaceAll("(?s).*ran_in_background: yes, (\\d+) poll.*", "$1"));
        assertThat(paidExecs() - before).isEqualTo(1 + polls);
    }

    @Test
    void should_say_the_state_was_lost_and_go_on_when_a_cell_killed_the_session() {
        tools.runCode("c1", "python", "x = 41");

        String killed = tools.runCode("c1", "python", "import os\nos._exit(1)");
        String next = tools.runCode("c1", "python", "'x' in globals()");

        assertThat(killed).contains("exit_code: 137 (the Python session ended while running this cell");
        assertThat(next).contains("note: The Python session was restarted: variables from earlier cells are gone.\n")
                .contains("exit_code: 0\n").endsWith("value:\nFalse");
        assertThat(paidExecs()).isEqualTo(3);
    }

    @Test
    void should_interrupt_a_cell_at_its_timeout_and_report_the_paid_polls() {
        tools.runCode("c1", "python", "x = 41");

        String result = tools.runCode("c1", "python", "import time\nwhile True:\n    time.sleep(0.1)", 6);
        String after = tools.runCode("c1", "python", "x + 1");

        assertThat(result).contains("exit_code: 124 (timed out after 6 s: the cell was interrupted with KeyboardInterrupt;")
                .containsPattern("ran_in_background: yes, [1-9]\\d* polls? \\(each a paid exec\\)")
                .contains("KeyboardInterrupt");
        assertThat(after).endsWith("value:\n42");
    }

    @Test
    void should_show_the_cell_line_and_the_files_when_a_cell_writes_then_fails() {
        tools.runCode("c1", "python", "import csv");

        String result = tools.runCode("c1", "python", "with open('table.csv', 'w') as f:\n"
                + "    csv.writer(f).writerow(['a', 'b'])\nrows = []\nrows[0]");

        assertThat(result).contains("exit_code: 1 (the cell raised IndexError)\n")
                .contains("error:\nTraceback (most recent call last):\n  File \"<cell 2>\", line 4, in <module>\n"
                        + "    rows[0]\n")
                .contains("\nIndexError: list index out of range\nfiles:")
                .endsWith("files:\n- table.csv (5 bytes, new)");
        assertThat(paidExecs()).isEqualTo(2);
    }

    @Test
    void should_run_each_call_afresh_when_the_session_is_stateless() {
        // given
        try (SandboxSessions stateless = SandboxSessions.builder().provider(paid).ledger(paid.ledger())
                .statefulPython(false).build()) {
            CodeInterpreterTools fresh = new CodeInterpreterTools(stateless);

            // when
            fresh.runCode("c1", "python", "x = 41");
            String result = fresh.runCode("c1", "python", "print(x + 1)");

            // then
            assertThat(fresh.stateful()).isFalse();
            assertThat(result).contains("exit_code: 1").contains("NameError: name 'x' is not defined")
                    .doesNotContain("session:");
        }
    }

    @Test
    void should_send_a_long_cell_within_the_command_limits() {
        // given a cell of about 150 KB that compresses poorly: more than one exec's 32 x 2000 characters
        StringBuilder code = new StringBuilder("import hashlib\nvalues = [\n");
        for (int i = 0; i < 3000; i++) {
            code.append("    '").append(sha(i)).append("',\n");
        }
        code.append("]\nlen(values)");

        // when
        String result = tools.runCode("c1", "python", code.toString());

        // then
        assertThat(result).contains("exit_code: 0\n").endsWith("value:\n3000");
        assertThat(emulator.requests()).extracting(EmulatorRequest::status).doesNotContain(400);
    }

    static String sha(int i) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Integer.toString(i).getBytes());
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
