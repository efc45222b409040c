package io.sandbox402.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JailLimitsTest {

    @Test
    void should_back_up_the_cgroup_pids_limit_with_a_looser_nproc_when_a_cgroup_applies() {
        JailLimits limits = new JailLimits(4096, 30, 1000, 64, 10, 256, 500, 100);

        assertThat(limits.prlimitArguments(true))
                .containsExactly("--as=4096", "--cpu=30", "--fsize=500", "--nofile=64", "--nproc=20", "--core=0");
        assertThat(limits.prlimitArguments(false)).contains("--nproc=10");
    }

    @Test
    void should_name_the_limit_when_one_is_not_positive() {
        assertThatThrownBy(() -> new JailLimits(4096, 30, 1000, 64, 0, 256, 500, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPids must be positive, was 0");
    }
}
