package io.sandbox402.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.testing.DevKeys;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

class WalletTest {
    static final String KEY_HEX = DevKeys.ACCOUNT_0_KEY.substring(2);

    @Test
    void should_derive_the_checksummed_address_from_the_key() {
        assertThat(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY).address()).isEqualTo(DevKeys.ACCOUNT_0_ADDRESS);
        assertThat(Wallet.fromHex(KEY_HEX).address()).isEqualTo(DevKeys.ACCOUNT_0_ADDRESS);
        assertThat(Wallet.fromHex(DevKeys.ACCOUNT_1_KEY).address()).isEqualTo(DevKeys.ACCOUNT_1_ADDRESS);
    }

    @Test
    void should_show_only_the_address_in_to_string() {
        Wallet wallet = Wallet.fromHex(DevKeys.ACCOUNT_0_KEY);

        assertThat(wallet.toString()).isEqualTo("Wallet{address=" + DevKeys.ACCOUNT_0_ADDRESS + "}");
        assertThat(wallet.toString()).doesNotContainIgnoringCase(KEY_HEX);
    }

    @Test
    void should_not_echo_a_malformed_key_in_the_error() {
        String almostAKey = KEY_HEX.substring(0, 63) + "z";

        assertThatThrownBy(() -> Wallet.fromHex(almostAKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The wallet key must be 64 hex digits (32 bytes), optionally after 0x; the value given has 64"
                        + " characters or is not hex.")
                .message().doesNotContain(KEY_HEX.substring(0, 20));
    }

    @Test
    void should_read_the_key_from_blockrun_wallet_key() {
        assertThat(Wallet.fromEnvironment(Map.of("BLOCKRUN_WALLET_KEY", DevKeys.ACCOUNT_1_KEY)).address())
                .isEqualTo(DevKeys.ACCOUNT_1_ADDRESS);
        assertThat(Wallet.fromEnvironment(Map.of("BASE_CHAIN_WALLET_KEY", DevKeys.ACCOUNT_2_KEY)).address())
                .isEqualTo(DevKeys.ACCOUNT_2_ADDRESS);
        assertThat(Wallet.fromEnvironment(Map.of(
                        "BLOCKRUN_WALLET_KEY", DevKeys.ACCOUNT_1_KEY, "BASE_CHAIN_WALLET_KEY", DevKeys.ACCOUNT_2_KEY)).address())
                .isEqualTo(DevKeys.ACCOUNT_1_ADDRESS);
    }

    @Test
    void should_name_the_variables_when_no_key_is_set() {
        assertThat(Wallet.fromEnvironmentIfPresent(Map.of())).isEmpty();
        assertThatThrownBy(() -> Wallet.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Wallet required: set BLOCKRUN_WALLET_KEY (or BASE_CHAIN_WALLET_KEY) to the paying wallet's private key.");
    }

    @Test
    void should_name_the_variable_but_not_its_value_when_the_key_is_malformed() {
        assertThatThrownBy(() -> Wallet.fromEnvironment(Map.of("BLOCKRUN_WALLET_KEY", "0x" + KEY_HEX + "00")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("BLOCKRUN_WALLET_KEY is not a valid key: ")
                .message().doesNotContain(KEY_HEX);
    }

    @Test
    void should_decrypt_the_web3_secret_storage_pbkdf2_test_vector() throws URISyntaxException {
        // given the Web3 Secret Storage Definition's PBKDF2 example (password "testpassword")
        Path file = Path.of(getClass().getResource("/keystore/pbkdf2-v3.json").toURI());
        String expected = Keys.toChecksumAddress(Keys.getAddress(ECKeyPair.create(
                new java.math.BigInteger("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d", 16))));

        // when
        Wallet wallet = Wallet.fromKeystore(file, "testpassword");

        // then
        assertThat(wallet.address()).isEqualTo(expected);
    }

    @Test
    void should_decrypt_an_scrypt_keystore_made_by_ethers() throws URISyntaxException {
        // given Hardhat account #1 encrypted by ethers 6.17 (encryptKeystoreJsonSync, scrypt N=1024, "Crypto" capitalised)
        Path file = Path.of(getClass().getResource("/keystore/scrypt-ethers.json").toURI());

        // when
        Wallet wallet = Wallet.fromKeystore(file, "sandbox402");

        // then
        assertThat(wallet.address()).isEqualTo(DevKeys.ACCOUNT_1_ADDRESS);
    }

    @Test
    void should_refuse_a_wrong_keystore_password() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/keystore/pbkdf2-v3.json").toURI());

        assertThatThrownBy(() -> Wallet.fromKeystore(file, "wrong"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot decrypt keystore " + file + ": wrong password or damaged file.");
    }

    @Test
    void should_say_when_the_keystore_file_is_missing() {
        assertThatThrownBy(() -> Wallet.fromKeystore(Path.of("/nonexistent/keystore.json"), "pw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Keystore file /nonexistent/keystore.json does not exist or cannot be read.");
    }

    @Test
    void should_make_distinct_random_wallets() {
        assertThat(Wallet.random().address()).isNotEqualTo(Wallet.random().address());
    }
}
