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
        Path killed = EvalFixtures.copy("hostile.jsonl", Files.createDirectory(dir.resolve("killed")));
        Path whole = EvalFixtures.copy("hostile.jsonl", Files.createDirectory(dir.resolve("whole")));
        Path killedResults = Evaluation.resultsFile(killed);
        long samples = Files.readAllLines(killed).size();

        // when: the uninterrupted run alongside; the other is SIGKILLed once some verdicts are written, then run again
        Process uninterrupted = start(problems, whole);
        long linesWhenKilled;
        try {
            Process first = start(problems, killed);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (lineCount(killedResults) < 3 && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling a file: no event to wait on
            }
            first.destroyForcibly().waitFor();
            linesWhenKilled = lineCount(killedResults);
            assertThat(start(problems, killed).waitFor()).isZero();
            assertThat(uninterrupted.waitFor()).isZero();
        } finally {
            uninterrupted.destroyForcibly();
        }

        // then
        assertThat(linesWhenKilled).isBetween(3L, samples - 1);
        assertThat(Files.readString(killedResults)).isEqualTo(Files.readString(Evaluation.resultsFile(whole)));
        assertThat(EvalFixtures.lines(killedResults)).hasSize((int) samples);
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
