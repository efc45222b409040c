package io.sandbox402.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaymentPolicyTest {

    @Test
    void should_default_to_five_cents_a_call_one_dollar_a_session_on_base() {
        PaymentPolicy policy = PaymentPolicy.defaults();

        assertThat(policy.maxCostPerCall()).isEqualByComparingTo("0.05");
        assertThat(policy.maxSessionCost()).isEqualByComparingTo("1.00");
        assertThat(policy.networks()).containsExactly(Network.BASE);
    }

    @Test
    void should_read_the_caps_from_the_environment() {
        PaymentPolicy policy = PaymentPolicy.fromEnvironment(Map.of(
                "BLOCKRUN_MAX_COST_PER_CALL", "0.5", "BLOCKRUN_MAX_SESSION_COST", "$10"));

        assertThat(policy.maxCostPerCall()).isEqualByComparingTo("0.5");
        assertThat(policy.maxSessionCost()).isEqualByComparingTo("10");
    }

    @Test
    void should_say_which_variable_is_not_a_dollar_amount() {
        assertThatThrownBy(() -> PaymentPolicy.fromEnvironment(Map.of("BLOCKRUN_MAX_SESSION_COST", "ten")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BLOCKRUN_MAX_SESSION_COST must be a non-negative amount in US dollars such as 0.05, was 'ten'.");
        assertThatThrownBy(() -> PaymentPolicy.fromEnvironment(Map.of("BLOCKRUN_MAX_COST_PER_CALL", "-1")))
                .hasMessage("BLOCKRUN_MAX_COST_PER_CALL must be a non-negative amount in US dollars such as 0.05, was '-1'.");
    }

    @Test
    void should_limit_validity_to_five_minutes_by_default() {
        PaymentPolicy policy = PaymentPolicy.defaults();

        assertThat(policy.maxValidity()).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.validitySeconds(86_400)).isEqualTo(300);
        assertThat(policy.validitySeconds(60)).isEqualTo(60);
    }

    @Test
    void should_keep_a_chosen_validity_limit_in_whole_seconds_through_to_builder() {
        PaymentPolicy policy = PaymentPolicy.builder().maxValidity(Duration.ofMillis(90_500)).build();

        assertThat(policy.maxValidity()).isEqualTo(Duration.ofSeconds(90));
        assertThat(policy.toBuilder().build().maxValidity()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void should_reject_a_validity_limit_under_a_second() {
        assertThatThrownBy(() -> PaymentPolicy.builder().maxValidity(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxValidity must be at least one second, was PT0.5S");
        assertThatThrownBy(() -> PaymentPolicy.builder().maxValidity(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxValidity == null");
    }

    @Test
    void should_reject_a_payee_that_is_not_an_address() {
        assertThatThrownBy(() -> PaymentPolicy.builder().allowPayees("blockrun"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payee must be an address (0x and 40 hex digits), was blockrun");
    }
}
