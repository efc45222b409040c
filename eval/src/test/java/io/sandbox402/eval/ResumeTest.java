package io.sandbox402.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
    @TempDir
    Path dir;

    @Test
    void should_end_with_the_same_file_when_a_run_killed_halfway_is_run_again() throws Exception {
        // given
        try (LocalProvider provider = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(provider.isAvailable(), provider.description());
        }
        Path problems = EvalFixtures.copy("problems.jsonl", dir);
        Path killed = EvalFixtures.repeat("hostile.jsonl", 2, dir, "killed.jsonl");
        Path whole = EvalFixtures.repeat("hostile.jsonl", 2, dir, "whole.jsonl");
        Path killedResults = Evaluation.resultsFile(killed);

        // when: SIGKILL once some verdicts are written, then the same command again
        Process first = start(problems, killed);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (lineCount(killedResults) < 3 && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling a file: no event to wait on
        }
        first.destroyForcibly().waitFor();
        long linesWhenKilled = lineCount(killedResults);
        assertThat(start(problems, killed).waitFor()).isZero();
        assertThat(start(problems, whole).waitFor()).isZero();

        // then
        assertThat(linesWhenKilled).isBetween(3L, 59L);
        assertThat(Files.readString(killedResults)).isEqualTo(Files.readString(Evaluation.resultsFile(whole)));
        assertThat(EvalFixtures.lines(killedResults)).hasSize(60);
    }

    private static Process start(Path problems, Path samples) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), EvalMain.class.getName(),
                problems.toString(), samples.toString(), "3"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static long lineCount(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        return Files.readString(file).chars().filter(c -> c == '\n').count();
    }
}
