package io.sandbox402.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {
    @TempDir
    Path dir;

    @Test
    void should_drop_a_line_cut_short_when_reopened_after_a_crash() throws Exception {
        // given
        Path path = dir.resolve("s.jsonl_results.jsonl");
        Files.writeString(path, "{\"a\": 1}\n{\"a\": 2}\n{\"a\"");

        // when
        try (ResultsFile results = ResultsFile.open(path)) {
            // then
            assertThat(results.doneAtOpen()).isEqualTo(2);
            results.add(2, List.of("{\"a\": 3}"));
        }
        assertThat(Files.readString(path)).isEqualTo("{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3}\n");
    }

    @Test
    void should_hold_a_batch_back_until_the_earlier_ones_are_written() throws Exception {
        // given
        Path path = dir.resolve("r.jsonl");
        try (ResultsFile results = ResultsFile.open(path)) {
            // when
            int early = results.add(2, List.of("c", "d"));
            String before = Files.readString(path);
            int written = results.add(0, List.of("a", "b"));

            // then
            assertThat(early).isZero();
            assertThat(before).isEmpty();
            assertThat(written).isEqualTo(4);
        }
        assertThat(Files.readString(path)).isEqualTo("a\nb\nc\nd\n");
    }
}
