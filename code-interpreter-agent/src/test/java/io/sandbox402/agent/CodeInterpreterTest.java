package io.sandbox402.agent;

import static io.sandbox402.testing.ScriptedChatModel.json;
import static io.sandbox402.testing.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.SystemMessage;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.testing.ScriptedChatModel;
import io.sandbox402.x402.PaymentPolicy;
import io.sandbox402.x402.Wallet;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent loop with a scripted model, paying the emulator, which runs code in bubblewrap. */
class CodeInterpreterTest {
    static final String FIB = "a, b = 0, 1\nfor _ in range(40):\n    a, b = b, a + b\nprint(a)";

    LocalProvider local;
    BlockRunEmulator emulator;
    BlockRunProvider provider;
    PaymentPolicy policy = PaymentPolicy.defaults();

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local).build().start();
        provider = provider(policy);
    }

    BlockRunProvider provider(PaymentPolicy policy) {
        return BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY))
                .policy(policy).shutdownHook(false).build();
    }

    @AfterEach
    void stop() {
        provider.close();
        emulator.close();
        local.close();
    }

    CodeInterpreter interpreter(ScriptedChatModel model, int maxSteps, List<String> events) {
        return CodeInterpreter.builder()
                .chatModel(model)
                .sandboxProvider(provider)
                .ledger(provider.ledger())
                .paymentPolicy(policy)
                .maxSteps(maxSteps)
                .listener(new CodeInterpreterListener() {
                    @Override
                    public void stepStarted(int number, String language, String code) {
                        events.add("started " + number + " " + language);
                    }

                    @Override
                    public void stepFinished(Step step, BigDecimal spent) {
                        events.add("finished " + step.number() + " exit " + step.exitCode() + " spent " + spent);
                    }
                })
                .build();
    }

    void assertCleanAndAccounted(Solution solution) {
        assertThat(emulator.runningSandboxes()).isZero();
        assertThat(solution.allTerminated()).isTrue();
        assertThat(solution.cost()).isEqualByComparingTo(provider.ledger().totalCommitted());
    }

    @Test
    void should_solve_a_task_in_one_step() {
        // given
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_code", "{\"language\":\"python\",\"code\":" + json(FIB) + "}"),
                request -> ScriptedChatModel.answerOf("The 40th Fibonacci number is "
                        + ScriptedChatModel.lastToolResult(request).lines().filter(l -> l.matches("\\d+")).findFirst().orElse("?")));
        List<String> events = new ArrayList<>();

        // when
        Solution solution;
        try (CodeInterpreter interpreter = interpreter(model, 5, events)) {
            solution = interpreter.solve("What is the 40th Fibonacci number? Compute it.");
        }

        // then
        assertThat(solution.answer()).isEqualTo("The 40th Fibonacci number is 102334155");
        assertThat(solution.outcome()).isEqualTo(Solution.Outcome.ANSWERED);
        assertThat(solution.steps()).singleElement().satisfies(step -> {
            assertThat(step.language()).isEqualTo("python");
            assertThat(step.code()).isEqualTo(FIB);
            assertThat(step.stdout()).isEqualTo("102334155\n");
            assertThat(step.exitCode()).isZero();
            assertThat(step.cost()).isEqualByComparingTo("0.002");
        });
        assertThat(solution.cost()).isEqualByComparingTo("0.015"); // create, exec, terminate
        assertThat(solution.inputTokens()).isEqualTo(20);
        assertThat(solution.outputTokens()).isEqualTo(10);
        assertThat(solution.sandboxes()).hasSize(1);
        assertThat(events).containsExactly("started 1 python", "finished 1 exit 0 spent 0.013000");
        String system = ((SystemMessage) model.requests().get(0).messages().get(0)).text();
        assertThat(system).contains("You have at most 5 runs. Each run is paid; you have $1.00 left of $1.00.");
        assertCleanAndAccounted(solution);
    }

    @Test
    void should_keep_python_state_and_download_the_files_cells_make_when_an_output_dir_is_set(@TempDir Path outputs)
            throws Exception {
        // given a model whose second cell uses the first cell's variable and writes a table
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_code", "{\"language\":\"python\",\"code\":" + json("rows = [(1, 'a'), (2, 'b')]") + "}"),
                toolCall("run_code", "{\"language\":\"python\",\"code\":" + json(
                        "import csv\nwith open('table.csv', 'w', newline='') as f:\n    csv.writer(f).writerows(rows)\nlen(rows)")
                        + "}"),
                request -> ScriptedChatModel.answerOf(ScriptedChatModel.lastToolResult(request)));
        CodeInterpreter interpreter = CodeInterpreter.builder().chatModel(model).sandboxProvider(provider)
                .ledger(provider.ledger()).maxSteps(5).outputDir(outputs).build();

        // when
        Solution solution;
        try (interpreter) {
            solution = interpreter.solve("Write the rows to table.csv.");
        }

        // then the variable survived into the second cell, whose last expression's value is shown
        assertThat(solution.answer()).contains("2");
        assertThat(solution.steps()).hasSize(2);
        assertThat(solution.files()).singleElement().satisfies(file -> {
            assertThat(file.path()).isEqualTo("table.csv");
            assertThat(file.step()).isEqualTo(2);
            assertThat(file.size()).isEqualTo(10);
            assertThat(file.downloaded()).isEqualTo(outputs.resolve("table.csv"));
        });
        assertThat(Files.readString(outputs.resolve("table.csv"))).isEqualTo("1,a\r\n2,b\r\n");
        String system = ((SystemMessage) model.requests().get(0).messages().get(0)).text();
        assertThat(system).contains(SystemPrompt.STATEFUL);
        assertCleanAndAccounted(solution);
    }

    @Test
    void should_fix_an_error_on_the_second_step() {
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_code", "{\"language\":\"python\",\"code\":" + json("print(undefined_name)") + "}"),
                request -> {
                    assertThat(ScriptedChatModel.lastToolResult(request)).contains("exit_code: 1").contains("NameError");
                    return toolCall("run_code", "{\"language\":\"python\",\"code\":" + json("print(sum(range(5)))") + "}")
                            .apply(request);
                },
                request -> ScriptedChatModel.answerOf("10"));

        Solution solution;
        try (CodeInterpreter interpreter = interpreter(model, 5, new ArrayList<>())) {
            solution = interpreter.solve("Sum 0..4");
        }

        assertThat(solution.answer()).isEqualTo("10");
        assertThat(solution.steps()).extracting(Step::exitCode).containsExactly(1, 0);
        assertThat(solution.sandboxes()).hasSize(1); // the second run reused the sandbox
        assertCleanAndAccounted(solution);
    }

    @Test
    void should_keep_an_answer_given_after_the_last_run() {
        // given a model that runs code until no runs are left, then answers
        ScriptedChatModel model = ScriptedChatModel.repeating(request -> {
            String last = ScriptedChatModel.lastToolResult(request);
            return last != null && last.contains("runs_left: 0")
                    ? ScriptedChatModel.answerOf("I used every run.")
                    : toolCall("run_code", "{\"language\":\"bash\",\"code\":\"echo again\"}").apply(request);
        });

        Solution solution;
        try (CodeInterpreter interpreter = interpreter(model, 3, new ArrayList<>())) {
            solution = interpreter.solve("Loop three times");
        }

        assertThat(solution.outcome()).isEqualTo(Solution.Outcome.ANSWERED);
        assertThat(solution.answer()).isEqualTo("I used every run.");
        assertThat(solution.steps()).hasSize(3);
        assertThat(model.requests()).hasSize(4);
        assertCleanAndAccounted(solution);
    }

    @Test
    void should_end_the_loop_when_the_model_asks_for_a_run_past_the_limit() {
        // given a model that never stops asking for runs
        ScriptedChatModel model = ScriptedChatModel.repeating(
                toolCall("run_code", "{\"language\":\"bash\",\"code\":\"echo again\"}"));

        // when
        Solution solution;
        try (CodeInterpreter interpreter = interpreter(model, 2, new ArrayList<>())) {
            solution = interpreter.solve("Loop forever");
        }

        // then the model is called once per run and once more, and its tokens are counted
        assertThat(solution.outcome()).isEqualTo(Solution.Outcome.STEP_LIMIT);
        assertThat(solution.answer()).isEqualTo("Stopped: the step limit of 2 runs was reached before an answer.");
        assertThat(solution.steps()).hasSize(2);
        assertThat(model.requests()).hasSize(3);
        assertThat(solution.inputTokens()).isEqualTo(30);
        assertThat(solution.outputTokens()).isEqualTo(15);
        assertCleanAndAccounted(solution);
    }

    @Test
    void should_fail_when_no_code_could_run() {
        // given a provider that cannot create sandboxes
        SandboxProvider broken = new SandboxProvider() {
            @Override
            public Sandbox create(SandboxSpec spec) {
                throw new SandboxException("The sandbox service is down.");
            }

            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public String description() {
                return "broken";
            }

            @Override
            public void close() {}
        };
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_code", "{\"language\":\"python\",\"code\":\"print(1)\"}"),
                request -> ScriptedChatModel.answerOf("I could not run code: " + ScriptedChatModel.lastToolResult(request)));
        List<String> failures = new ArrayList<>();

        // when
        Solution solution;
        try (CodeInterpreter interpreter = CodeInterpreter.builder().chatModel(model).sandboxProvider(broken)
                .listener(new CodeInterpreterListener() {
                    @Override
                    public void stepFailed(int number, RuntimeException failure, BigDecimal spent) {
                        failures.add(number + ": " + failure.getMessage());
                    }
                }).build()) {
            solution = interpreter.solve("Anything");
        }

        // then the task failed, typed, though the model answered
        assertThat(solution.outcome()).isEqualTo(Solution.Outcome.FAILED);
        assertThat(solution.failure()).isInstanceOf(SandboxException.class).hasMessage("The sandbox service is down.");
        assertThat(solution.answer()).isEqualTo("I could not run code: SANDBOX ERROR: The sandbox service is down.");
        assertThat(failures).containsExactly("1: The sandbox service is down.");
        assertThat(solution.totalTokens()).isEqualTo(30);
    }

    @Test
    void should_upload_input_files_before_the_first_step() {
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_code", "{\"language\":\"python\",\"code\":\"print(open('data.txt').read())\"}"),
                request -> ScriptedChatModel.answerOf(ScriptedChatModel.lastToolResult(request)));

        Solution solution;
        try (CodeInterpreter interpreter = interpreter(model, 3, new ArrayList<>())) {
            solution = interpreter.solve("Read the file", java.util.Map.of("data.txt",
                    "41 + 1".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }

        assertThat(solution.steps().get(0).stdout()).isEqualTo("41 + 1\n");
        assertThat(((dev.langchain4j.data.message.UserMessage) model.requests().get(0).messages().get(1)).singleText())
                .endsWith("Input files, already in the sandbox's working directory:\n- data.txt (6 bytes)");
        assertCleanAndAccounted(solution);
    }

    @Test
    void should_stop_at_the_budget_limit() {
        // given a session cap that pays the create and one run
        provider.close();
        policy = PaymentPolicy.builder().maxSessionCost(new BigDecimal("0.013")).build();
        provider = provider(policy);
        ScriptedChatModel model = ScriptedChatModel.repeating(request -> {
            String last = ScriptedChatModel.lastToolResult(request);
            return last != null && last.startsWith("PAYMENT REFUSED")
                    ? ScriptedChatModel.answerOf("The budget is spent.")
                    : toolCall("run_code", "{\"language\":\"python\",\"code\":\"print(1)\"}").apply(request);
        });

        Solution solution;
        try (CodeInterpreter interpreter = interpreter(model, 10, new ArrayList<>())) {
            solution = interpreter.solve("Spend it all");
        }

        assertThat(solution.outcome()).isEqualTo(Solution.Outcome.BUDGET_LIMIT);
        assertThat(solution.answer()).isEqualTo("The budget is spent.");
        assertThat(solution.steps()).hasSize(1);
        assertThat(solution.cost()).isEqualByComparingTo("0.015"); // the terminate is paid past the cap
        assertCleanAndAccounted(solution);
    }

    @Test
    void should_terminate_every_sandbox_when_the_model_fails_mid_run() {
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_code", "{\"language\":\"python\",\"code\":\"print(1)\"}"),
                request -> {
                    throw new IllegalStateException("model server returned 500");
                });

        try (CodeInterpreter interpreter = interpreter(model, 5, new ArrayList<>())) {
            assertThatThrownBy(() -> interpreter.solve("Anything"))
                    .isInstanceOf(CodeInterpreterException.class)
                    .hasMessage("The task failed after 1 runs: model server returned 500 (every sandbox was terminated)")
                    .satisfies(e -> {
                        Solution partial = ((CodeInterpreterException) e).partial();
                        assertThat(partial.outcome()).isEqualTo(Solution.Outcome.FAILED);
                        assertThat(partial.inputTokens()).isEqualTo(10);
                        assertThat(partial.steps()).hasSize(1);
                        assertCleanAndAccounted(partial);
                    });
        }
        assertThat(emulator.runningSandboxes()).isZero();
    }

    @Test
    void should_answer_a_hallucinated_tool_and_bad_arguments() {
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_python", "{\"code\":\"print(1)\"}"),
                toolCall("run_code", "{\"language\": 42"),
                request -> ScriptedChatModel.answerOf("ok"));

        Solution solution;
        try (CodeInterpreter interpreter = interpreter(model, 5, new ArrayList<>())) {
            solution = interpreter.solve("Anything");
        }

        assertThat(ScriptedChatModel.lastToolResult(model.requests().get(1)))
                .isEqualTo("There is no tool named 'run_python'. Use run_code, write_file, read_file or install_packages.");
        assertThat(ScriptedChatModel.lastToolResult(model.requests().get(2))).startsWith("INVALID ARGUMENTS for run_code: ");
        assertThat(solution.answer()).isEqualTo("ok");
        assertThat(solution.sandboxes()).isEmpty();
        assertCleanAndAccounted(solution);
    }
}
