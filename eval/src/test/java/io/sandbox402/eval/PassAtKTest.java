package io.sandbox402.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PassAtKTest {

    @Test
    void should_match_hand_computed_values_when_n_c_and_k_are_small() {
        assertThat(PassAtK.estimate(1, 1, 1)).isEqualTo(1.0);
        assertThat(PassAtK.estimate(1, 0, 1)).isEqualTo(0.0);
        assertThat(PassAtK.estimate(10, 3, 1)).isCloseTo(0.3, within(1e-12));          // c / n
        assertThat(PassAtK.estimate(5, 2, 2)).isCloseTo(1 - 3.0 / 10, within(1e-12));   // 1 - C(3,2)/C(5,2)
        assertThat(PassAtK.estimate(4, 1, 2)).isCloseTo(1 - 3.0 / 6, within(1e-12));    // 1 - C(3,2)/C(4,2)
        assertThat(PassAtK.estimate(6, 2, 3)).isCloseTo(1 - 4.0 / 20, within(1e-12));   // 1 - C(4,3)/C(6,3)
        assertThat(PassAtK.estimate(10, 1, 10)).isEqualTo(1.0);                           // n - c < k
    }

    @Test
    void should_stay_exact_when_the_binomials_would_overflow() {
        // 1 - C(199,100)/C(200,100) = 1 - 100/200
        assertThat(PassAtK.estimate(200, 1, 100)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void should_average_over_tasks_and_drop_k_above_the_smallest_n() {
        // given
        List<TaskCount> counts = List.of(new TaskCount("a", 5, 2), new TaskCount("b", 3, 0));

        // then
        assertThat(PassAtK.of(counts, List.of(1, 2, 5, 10)))
                .containsOnlyKeys(1, 2)
                .hasEntrySatisfying(1, v -> assertThat(v).isCloseTo(0.2, within(1e-12)))
                .hasEntrySatisfying(2, v -> assertThat(v).isCloseTo(0.35, within(1e-12)));
    }

    @Test
    void should_reject_k_above_n() {
        assertThatThrownBy(() -> PassAtK.estimate(3, 1, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Need 1 <= k <= n and 0 <= c <= n, got n=3, c=1, k=4");
    }
}
