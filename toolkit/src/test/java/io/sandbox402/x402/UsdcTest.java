package io.sandbox402.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsdcTest {

    @ParameterizedTest
    @CsvSource({"0.05, $0.05", "0.0500, $0.05", "0.015, $0.015", "0.0150, $0.015", "1, $1.00", "1.000000, $1.00",
            "0.0015, $0.0015", "0, $0.00", "0.751417, $0.751417", "12.5, $12.50", "0.00000049, $0.00", "0.0000005, $0.000001"})
    void should_format_with_trailing_zeros_stripped_but_two_decimals_when_given(String usd, String expected) {
        assertThat(Usdc.format(new BigDecimal(usd))).isEqualTo(expected);
    }

    @Test
    void should_convert_between_atomic_units_and_dollars_exactly() {
        assertThat(Usdc.toUsd(BigInteger.valueOf(15_000))).isEqualByComparingTo("0.015");
        assertThat(Usdc.toAtomic(new BigDecimal("0.015"))).isEqualTo(BigInteger.valueOf(15_000));
        assertThatThrownBy(() -> Usdc.toAtomic(new BigDecimal("0.0000001"))).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void should_parse_with_or_without_a_dollar_sign_and_name_the_value_when_invalid() {
        assertThat(Usdc.parse(" $0.05 ", "--max-cost")).isEqualByComparingTo("0.05");
        assertThat(Usdc.parse("1", "--max-cost")).isEqualByComparingTo("1");
        assertThatThrownBy(() -> Usdc.parse("-1", "--max-cost"))
                .hasMessage("--max-cost must be a non-negative amount in US dollars such as 0.05, was '-1'.");
    }
}
