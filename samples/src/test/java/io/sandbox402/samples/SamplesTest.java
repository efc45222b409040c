package io.sandbox402.samples;

import static io.sandbox402.testing.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.sandbox.Gpu;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.testing.ScriptedChatModel;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each sample runs as a user would run it, on the emulator (paid flow) or the local sandbox. */
class SamplesTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void requireBubblewrap() {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
        }
    }

    String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void multi_step_workflow_should_carry_files_across_steps() {
        String report = MultiStepWorkflow.run("emulator", out);

        assertThat(report).isEqualTo("best region: north (150)\n");
        assertThat(output()).contains("transform: regions: 3\n", "summary: report written\n", "spent: $0.");
    }

    @Test
    void package_testing_should_run_the_suite_in_a_sandbox() {
        assertThat(PackageTesting.run("local", out).exitCode()).isZero();

        assertThat(output()).contains("Ran 3 tests", "OK", "PASSED (free)");
    }

    @Test
    void gpu_job_should_quote_then_create_within_a_raised_cap() {
        String stdout = GpuJob.run("emulator", Gpu.T4, new BigDecimal("0.06"), out);

        assertThat(stdout).startsWith("training on ");
        assertThat(output()).contains("a T4 sandbox costs $0.051 to create (cap $0.06)", "spent: $0.053");
    }

    @Test
    void gpu_job_should_be_refused_before_signing_above_the_cap() {
        String message = GpuJob.run("emulator", Gpu.H100, new BigDecimal("0.15"), out);

        assertThat(message).contains("the server asks $0.401 (401000 USDC units), above the per-call cap of $0.15");
        assertThat(output()).contains("refused before signing", "a H100 sandbox costs $0.401 to create");
    }

    @Test
    void evaluation_harness_should_grade_each_candidate_in_its_own_sandbox() throws Exception {
        List<EvaluationHarness.Verdict> verdicts = EvaluationHarness.run("emulator", out);

        assertThat(verdicts).extracting(EvaluationHarness.Verdict::candidate, EvaluationHarness.Verdict::passed)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("trial-division", true),
                        org.assertj.core.groups.Tuple.tuple("brute-force", true),
                        org.assertj.core.groups.Tuple.tuple("wrong-for-two", false),
                        org.assertj.core.groups.Tuple.tuple("endless", false));
        assertThat(output()).contains("FAIL endless (timed out)", "pass rate 2/4");
    }

    @Test
    void chat_code_interpreter_should_run_code_between_turns() throws Exception {
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_code", "{\"language\":\"python\",\"code\":\"open('x.txt','w').write('7'); print(7 * 6)\"}"),
                request -> ScriptedChatModel.answerOf("It is 42."),
                toolCall("run_code", "{\"language\":\"python\",\"code\":\"print(open('x.txt').read())\"}"),
                request -> ScriptedChatModel.answerOf("The file holds " + ScriptedChatModel.lastToolResult(request)
                        .lines().dropWhile(l -> !l.equals("stdout:")).skip(1).findFirst().orElse("?") + "."));
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            ChatCodeInterpreter.run(model, local, new BufferedReader(new StringReader("what is 7*6?\nwhat is in x.txt?\n\n")), out);
            assertThat(local.runningSandboxes()).isZero();
        }

        assertThat(output()).contains("assistant> It is 42.", "assistant> The file holds 7.");
    }

    @Test
    void samples_should_explain_bad_arguments_without_a_stack_trace() throws Exception {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        assertThat(GpuJob.launch(new String[] {"local"}, out, err)).isEqualTo(2);
        assertThat(MultiStepWorkflow.launch(new String[] {"cloud"}, out, err)).isEqualTo(2);
        assertThat(PackageTesting.launch(new String[] {"emulator", "extra"}, out, err)).isEqualTo(2);
        assertThat(ChatCodeInterpreter.launch(new String[] {"local"}, java.util.Map.of(),
                new BufferedReader(new StringReader("")), out, err)).isEqualTo(2);

        assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "usage: GpuJob [emulator|blockrun] (a GPU sandbox needs BlockRun or its emulator; the local sandbox has no GPU)\n"
                        + "usage: MultiStepWorkflow [emulator|local|blockrun]\n"
                        + "usage: PackageTesting [emulator|local|blockrun]\n"
                        + "error: no model. Set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any OpenAI-compatible"
                        + " server (for instance Ollama's http://localhost:11434/v1).\n");
        assertThat(output()).isEmpty();
    }
}
