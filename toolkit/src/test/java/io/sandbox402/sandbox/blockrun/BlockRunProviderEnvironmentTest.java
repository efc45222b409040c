package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.testing.DevKeys;
import io.sandbox402.x402.Wallet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockRunProviderEnvironmentTest {

    @Test
    void should_take_wallet_url_and_caps_from_the_environment_when_built_from_it() {
        // given
        Map<String, String> env = Map.of(
                "BLOCKRUN_WALLET_KEY", DevKeys.ACCOUNT_1_KEY,
                "BLOCKRUN_API_URL", "http://127.0.0.1:9/api",
                "BLOCKRUN_MAX_COST_PER_CALL", "0.25",
                "BLOCKRUN_MAX_SESSION_COST", "3");

        // when
        try (BlockRunProvider provider = BlockRunProvider.fromEnvironment(env)) {
            // then
            assertThat(provider.apiUrl()).isEqualTo("http://127.0.0.1:9/api");
            assertThat(provider.description()).isEqualTo("blockrun: http://127.0.0.1:9/api, paying from "
                    + DevKeys.ACCOUNT_1_ADDRESS + " (at most $0.25 a call, $3.00 a session)");
        }
    }

    @Test
    void should_use_the_default_api_when_the_environment_names_none() {
        try (BlockRunProvider provider = BlockRunProvider.fromEnvironment(Map.of("BLOCKRUN_WALLET_KEY", DevKeys.ACCOUNT_1_KEY))) {
            assertThat(provider.apiUrl()).isEqualTo(BlockRunProvider.DEFAULT_API_URL);
        }
    }

    @Test
    void should_name_the_variable_when_no_wallet_key_is_set() {
        assertThatThrownBy(() -> BlockRunProvider.fromEnvironment(Map.of("BLOCKRUN_API_URL", "http://127.0.0.1:9/api")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("BlockRunProvider needs a wallet: BLOCKRUN_WALLET_KEY is not set. Set it to the paying wallet's"
                        + " private key, or build one with BlockRunProvider.builder().wallet(..).");
    }

    @Test
    void should_name_the_variable_when_a_cap_is_not_an_amount() {
        Map<String, String> env = Map.of("BLOCKRUN_WALLET_KEY", DevKeys.ACCOUNT_1_KEY, "BLOCKRUN_MAX_COST_PER_CALL", "lots");
        assertThatThrownBy(() -> BlockRunProvider.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("BLOCKRUN_MAX_COST_PER_CALL must be");
    }

    @Test
    void should_not_read_the_environment_when_built_by_the_builder() {
        // The builder's default is the public API whatever BLOCKRUN_API_URL says in this process.
        try (BlockRunProvider provider = BlockRunProvider.builder().wallet(Wallet.fromHex(DevKeys.ACCOUNT_1_KEY))
                .shutdownHook(false).build()) {
            assertThat(provider.apiUrl()).isEqualTo(BlockRunProvider.DEFAULT_API_URL);
        }
    }
}
