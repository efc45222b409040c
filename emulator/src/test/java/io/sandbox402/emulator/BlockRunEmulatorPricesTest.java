package io.sandbox402.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.emulator.EmulatorHttp.Answer;
import io.sandbox402.sandbox.Gpu;
import io.sandbox402.sandbox.local.LocalProvider;
import java.math.BigInteger;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The public beta's price list as the 402s quote it, and the seed terms'. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlockRunEmulatorPricesTest {
    LocalProvider local;
    BlockRunEmulator emulator;
    EmulatorHttp http;

    @BeforeAll
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        emulator = BlockRunEmulator.builder().provider(local).build().start();
        http = new EmulatorHttp(emulator);
    }

    @AfterAll
    void stop() {
        emulator.close();
        local.close();
    }

    static Stream<Arguments> prices() {
        return Stream.of(
                Arguments.of("exec", "{\"sandbox_id\":\"sb-x\",\"command\":[\"true\"]}", 2_000),
                Arguments.of("status", "{\"sandbox_id\":\"sb-x\"}", 2_000),
                Arguments.of("terminate", "{\"sandbox_id\":\"sb-x\"}", 2_000),
                Arguments.of("create", "{}", 11_000),
                Arguments.of("create", "{\"timeout\":300}", 11_000),
                Arguments.of("create", "{\"gpu\":\"T4\"}", 51_000),
                Arguments.of("create", "{\"gpu\":\"L4\",\"timeout\":300}", 81_000),
                Arguments.of("create", "{\"gpu\":\"A10G\"}", 101_000),
                Arguments.of("create", "{\"gpu\":\"A100\"}", 201_000),
                Arguments.of("create", "{\"gpu\":\"H100\"}", 401_000),
                // hourly above 300 s: seconds / 3600 x rate, rounded up to the micro-dollar, + $0.001
                Arguments.of("create", "{\"timeout\":3600}", 101_000),
                Arguments.of("create", "{\"timeout\":301}", 9_362),
                Arguments.of("create", "{\"gpu\":\"T4\",\"timeout\":1801}", 751_417),
                Arguments.of("create", "{\"gpu\":\"H100\",\"timeout\":86400}", 192_001_000));
    }

    @ParameterizedTest(name = "{0} {1}: {2} units")
    @MethodSource("prices")
    void should_quote_the_public_beta_price(String operation, String body, long units) {
        assertThat(http.quote(operation, body).accepts().get(0).amount()).isEqualTo(BigInteger.valueOf(units));
    }

    @Test
    void should_explain_an_hourly_quote() {
        Answer answer = http.post("create", "{\"gpu\":\"T4\",\"timeout\":1801}", null);

        assertThat(answer.body().get("description").asText()).isEqualTo("Create a Modal sandbox (T4, 1801 s)");
        assertThat(answer.body().get("price").toString()).isEqualTo("{\"amount\":\"0.751417\",\"currency\":\"USD\","
                + "\"model\":\"hourly\",\"hourly_rate_usd\":1.5,\"duration_hours\":0.500278,\"refund_policy\":"
                + "\"Charged upfront for the whole requested lifetime; no refund on early terminate.\"}");
    }

    @Test
    void should_price_with_the_profile_api() {
        BlockRunProfile beta = BlockRunProfile.publicBeta();

        assertThat(beta.createPrice(null, Duration.ofHours(1))).isEqualTo(BigInteger.valueOf(101_000));
        assertThat(beta.createPrice(Gpu.T4, Duration.ofSeconds(1801))).isEqualTo(BigInteger.valueOf(751_417));
        assertThat(beta.price("exec")).isEqualTo(BigInteger.valueOf(2_000));
        assertThat(BlockRunProfile.named("seed-terms").price("exec")).isEqualTo(BigInteger.valueOf(1_000));
        assertThat(emulator.profile().name()).isEqualTo("public-beta");
    }

    @Test
    void should_quote_the_seed_terms() {
        try (BlockRunEmulator seed = BlockRunEmulator.builder().provider(local).profile(BlockRunProfile.seedTerms()).build().start()) {
            EmulatorHttp client = new EmulatorHttp(seed);

            assertThat(client.quote("create", "{\"timeout\":3600}").accepts().get(0).amount()).isEqualTo(BigInteger.valueOf(10_000));
            assertThat(client.quote("create", "{\"gpu\":\"H100\"}").accepts().get(0).amount()).isEqualTo(BigInteger.valueOf(400_000));
            assertThat(client.quote("exec", "{\"sandbox_id\":\"sb-x\",\"command\":[\"true\"]}").accepts().get(0).amount())
                    .isEqualTo(BigInteger.valueOf(1_000));
        }
    }
}
