package io.sandbox402.x402.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.testing.DevKeys;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.Wallet;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

class Eip3009SignerTest {

    /** The x402 version 1 specification's example payment (Base Sepolia, domain name "USDC"). */
    static final Authorization X402_EXAMPLE = new Authorization(
            "0x857b06519E91e3A54538791bDbb0E22373e36b66",
            "0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
            BigInteger.valueOf(10000),
            1740672089,
            1740672154,
            "0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480");
    static final String X402_EXAMPLE_SIGNATURE =
            "0x2d6a7588d6acca505cbf0d9a4a227e0c52c6c34008c8e8986a1283259764173608a2ce6496642e377d6da8dbbf5836e9bd15092f9ecab05ded3d6293af148b571c";

    @Test
    void should_match_the_eip712_mail_example_digest() {
        // given the EIP-712 specification's example: Mail(Person from,Person to,string contents)
        Eip712Domain domain = new Eip712Domain("Ether Mail", "1", 1, "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC");
        byte[] personType = Hash.sha3("Person(string name,address wallet)".getBytes(StandardCharsets.UTF_8));
        byte[] mailType = Hash.sha3("Mail(Person from,Person to,string contents)Person(string name,address wallet)"
                .getBytes(StandardCharsets.UTF_8));
        byte[] from = person(personType, "Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
        byte[] to = person(personType, "Bob", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB");
        byte[] mail = Hash.sha3(Abi.concat(mailType, from, to, Hash.sha3("Hello, Bob!".getBytes(StandardCharsets.UTF_8))));

        // when
        byte[] digest = domain.digest(mail);

        // then
        assertThat(Numeric.toHexString(digest))
                .isEqualTo("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
    }

    private static byte[] person(byte[] type, String name, String wallet) {
        return Hash.sha3(Abi.concat(type, Hash.sha3(name.getBytes(StandardCharsets.UTF_8)), Abi.address(wallet, "wallet")));
    }

    @Test
    void should_compute_the_x402_example_digest() {
        assertThat(Numeric.toHexString(Eip3009Signer.digest(Eip712Domain.usdc(Network.BASE_SEPOLIA), X402_EXAMPLE)))
                .isEqualTo("0xf256992871671abcb27ff92885a7afa46218724e5fc0bac35d050115aa1d22e6");
    }

    @Test
    void should_recover_the_x402_example_payer() {
        assertThat(Eip3009Signer.recover(Eip712Domain.usdc(Network.BASE_SEPOLIA), X402_EXAMPLE, X402_EXAMPLE_SIGNATURE))
                .isEqualTo(X402_EXAMPLE.from());
    }

    @Test
    void should_recover_another_address_when_the_domain_name_is_wrong() {
        // given Base Sepolia's domain but Base mainnet's name
        Eip712Domain wrongName = new Eip712Domain("USD Coin", "2", 84532, Network.BASE_SEPOLIA.usdcAddress());

        // when
        String recovered = Eip3009Signer.recover(wrongName, X402_EXAMPLE, X402_EXAMPLE_SIGNATURE);

        // then
        assertThat(recovered).isNotEqualToIgnoringCase(X402_EXAMPLE.from());
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void should_recover_the_signer_when_signed_on(Network network) {
        // given
        Wallet wallet = Wallet.fromHex(DevKeys.ACCOUNT_0_KEY);
        Authorization authorization = new Authorization(wallet.address(), DevKeys.ACCOUNT_1_ADDRESS,
                BigInteger.valueOf(1000), 1740672089, 1740672389,
                "0x" + "ab".repeat(32));
        Eip712Domain domain = Eip712Domain.usdc(network);

        // when
        String signature = new Eip3009Signer(wallet).sign(domain, authorization);

        // then
        assertThat(signature).matches("0x[0-9a-f]{130}");
        assertThat(signature.substring(130)).isIn("1b", "1c");
        assertThat(Eip3009Signer.recover(domain, authorization, signature)).isEqualTo(DevKeys.ACCOUNT_0_ADDRESS);
        assertThat(new Eip3009Signer(wallet).sign(domain, authorization)).isEqualTo(signature);
    }

    @Test
    void should_produce_low_s_signatures() {
        Wallet wallet = Wallet.fromHex(DevKeys.ACCOUNT_2_KEY);
        BigInteger halfOrder = new BigInteger("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", 16);
        for (int i = 0; i < 50; i++) {
            Authorization authorization = new Authorization(wallet.address(), DevKeys.ACCOUNT_1_ADDRESS,
                    BigInteger.valueOf(i), 0, 100, String.format("0x%064x", i));
            String signature = new Eip3009Signer(wallet).sign(Eip712Domain.usdc(Network.BASE), authorization);
            assertThat(new BigInteger(signature.substring(66, 130), 16)).isLessThanOrEqualTo(halfOrder);
        }
    }

    @Test
    void should_sign_byte_for_byte_like_web3j_for_random_keys_and_authorizations() {
        // given 256 random keys and authorizations, reproducible from the seed
        Random random = new Random(402);
        for (int i = 0; i < 256; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            key[0] &= 0x7f; // below the curve order, never zero
            key[31] |= 1;
            Wallet wallet = Wallet.fromHex(Numeric.toHexStringNoPrefixZeroPadded(new BigInteger(1, key), 64));
            byte[] to = new byte[20];
            random.nextBytes(to);
            byte[] nonce = new byte[32];
            random.nextBytes(nonce);
            long validAfter = random.nextInt(Integer.MAX_VALUE);
            Authorization authorization = new Authorization(wallet.address(), Numeric.toHexString(to),
                    new BigInteger(64, random), validAfter, validAfter + random.nextInt(86_400), Numeric.toHexString(nonce));
            Eip712Domain domain = Eip712Domain.usdc(Network.values()[i % Network.values().length]);
            byte[] digest = Eip3009Signer.digest(domain, authorization);

            // when
            String signature = new Eip3009Signer(wallet).sign(domain, authorization);

            // then
            Sign.SignatureData web3j = Sign.signMessage(digest, WalletKeys.of(wallet), false);
            assertThat(signature).as("authorization %d", i)
                    .isEqualTo(Numeric.toHexString(Abi.concat(web3j.getR(), web3j.getS(), web3j.getV())));
        }
    }

    @Test
    void should_sign_the_dev_key_like_web3j() {
        // given Hardhat/Anvil account #0 and the x402 example's authorization, re-addressed from it
        Wallet wallet = Wallet.fromHex(DevKeys.ACCOUNT_0_KEY);
        byte[] digest = Eip3009Signer.digest(Eip712Domain.usdc(Network.BASE_SEPOLIA), X402_EXAMPLE);

        // when
        byte[] signature = Secp256k1.sign(digest, WalletKeys.of(wallet));

        // then
        assertThat(signature).isEqualTo(Secp256k1.web3j(digest, WalletKeys.of(wallet)));
        assertThat(Numeric.toHexString(signature))
                .isEqualTo(new Eip3009Signer(wallet).sign(Eip712Domain.usdc(Network.BASE_SEPOLIA), X402_EXAMPLE));
    }

    @Test
    void should_reject_a_hash_that_is_not_32_bytes() {
        assertThatThrownBy(() -> Secp256k1.sign(new byte[31], WalletKeys.of(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hash must be 32 bytes, was 31");
    }

    @Test
    void should_cache_the_separator_without_sharing_the_array() {
        Eip712Domain domain = Eip712Domain.usdc(Network.BASE);
        byte[] first = domain.separator();
        first[0] ^= 1;

        assertThat(domain.separator()).isNotEqualTo(first);
        assertThat(Numeric.toHexString(Eip3009Signer.digest(Eip712Domain.usdc(Network.BASE_SEPOLIA), X402_EXAMPLE)))
                .isEqualTo("0xf256992871671abcb27ff92885a7afa46218724e5fc0bac35d050115aa1d22e6");
    }

    @Test
    void should_reject_a_signature_of_the_wrong_length() {
        assertThatThrownBy(() -> Eip3009Signer.recover(Eip712Domain.usdc(Network.BASE), X402_EXAMPLE, "0x1234"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signature must be 0x and 130 hex digits");
    }

    /** What {@link Eip3009Signer#isSignedByPayer} must equal: web3j's recovery compared with the payer. */
    static boolean web3jRecoversPayer(Eip712Domain domain, Authorization authorization, String signature) {
        byte[] bytes = Numeric.hexStringToByteArray(signature);
        byte v = bytes[64] < 27 ? (byte) (bytes[64] + 27) : bytes[64];
        try {
            BigInteger key = Sign.signedMessageHashToKey(Eip3009Signer.digest(domain, authorization), new Sign.SignatureData(
                    v, java.util.Arrays.copyOfRange(bytes, 0, 32), java.util.Arrays.copyOfRange(bytes, 32, 64)));
            return org.web3j.crypto.Keys.toChecksumAddress(org.web3j.crypto.Keys.getAddress(key)).equalsIgnoreCase(authorization.from());
        } catch (java.security.SignatureException | RuntimeException e) {
            return false;
        }
    }

    static String highS(String signature) {
        BigInteger s = new BigInteger(signature.substring(66, 130), 16);
        int v = Integer.parseInt(signature.substring(130), 16);
        return signature.substring(0, 66) + String.format("%064x", Sign.CURVE_PARAMS.getN().subtract(s))
                + String.format("%02x", v == 27 ? 28 : 27);
    }

    static String withV(String signature, int v) {
        return signature.substring(0, 130) + String.format("%02x", v);
    }

    static String plusOne(String signature, int from) {
        BigInteger word = new BigInteger(signature.substring(from, from + 64), 16).add(BigInteger.ONE);
        return signature.substring(0, from) + String.format("%064x", word) + signature.substring(from + 64);
    }

    @Test
    void should_recover_like_web3j_and_verify_known_payers_like_recovery_for_random_keys() {
        // given 64 random keys, each signing a random authorization, and variants that must or must not verify
        Random random = new Random(13);
        Wallet other = Wallet.fromHex(DevKeys.ACCOUNT_1_KEY);
        for (int i = 0; i < 64; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            key[0] &= 0x7f;
            key[31] |= 1;
            Wallet wallet = Wallet.fromHex(Numeric.toHexStringNoPrefixZeroPadded(new BigInteger(1, key), 64));
            byte[] nonce = new byte[32];
            random.nextBytes(nonce);
            Authorization authorization = new Authorization(wallet.address(), DevKeys.ACCOUNT_1_ADDRESS,
                    BigInteger.valueOf(random.nextInt(1 << 20)), 0, 1_000_000, Numeric.toHexString(nonce));
            Eip712Domain domain = Eip712Domain.usdc(Network.BASE);
            Eip712Domain wrongDomain = Eip712Domain.usdc(Network.BASE_SEPOLIA);
            Authorization moreValue = new Authorization(authorization.from(), authorization.to(),
                    authorization.value().add(BigInteger.ONE), 0, 1_000_000, authorization.nonce());
            String signature = new Eip3009Signer(wallet).sign(domain, authorization);
            String byAnother = new Eip3009Signer(other).sign(domain, authorization);
            int v = Integer.parseInt(signature.substring(130), 16);

            // then recovery names the signer, as web3j's does, and the payer's key is now known
            assertThat(Eip3009Signer.recover(domain, authorization, signature)).isEqualTo(wallet.address());
            assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, signature)).as("first, recovered %d", i).isTrue();
            assertThat(PayerKeys.get(wallet.address())).isNotNull();
            // and every variant, checked against the known key, gets recovery's answer
            assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, signature)).as("again, verified %d", i).isTrue();
            assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, withV(signature, v - 27))).isTrue();
            assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, highS(signature))).isTrue(); // the emulator refuses it apart
            assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, withV(signature, v == 27 ? 28 : 27))).isFalse();
            assertThat(Eip3009Signer.isSignedByPayer(wrongDomain, authorization, signature)).isFalse();
            assertThat(Eip3009Signer.isSignedByPayer(domain, moreValue, signature)).isFalse();
            assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, byAnother)).as("another signer %d", i).isFalse();
            assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, plusOne(signature, 2))).isFalse();
            assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, plusOne(signature, 66))).isFalse();
            assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, withV(signature, 29))).isFalse();
            assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, "0x1234")).isFalse();
            for (String variant : new String[] {signature, highS(signature), withV(signature, v == 27 ? 28 : 27), byAnother,
                    plusOne(signature, 2), plusOne(signature, 66), withV(signature, 29)}) {
                assertThat(Eip3009Signer.isSignedByPayer(domain, authorization, variant))
                        .as("key %d, %s", i, variant).isEqualTo(web3jRecoversPayer(domain, authorization, variant));
                assertThat(Eip3009Signer.isSignedByPayer(wrongDomain, authorization, variant))
                        .isEqualTo(web3jRecoversPayer(wrongDomain, authorization, variant));
            }
        }
    }

    @Test
    void should_refuse_a_signature_by_another_key_for_a_payer_never_seen() {
        Authorization authorization = new Authorization("0x" + "12".repeat(20), DevKeys.ACCOUNT_1_ADDRESS,
                BigInteger.TEN, 0, 100, "0x" + "34".repeat(32));
        String signature = new Eip3009Signer(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY)).sign(Eip712Domain.usdc(Network.BASE), authorization);

        assertThat(Eip3009Signer.isSignedByPayer(Eip712Domain.usdc(Network.BASE), authorization, signature)).isFalse();
        assertThat(PayerKeys.get(authorization.from())).isNull();
    }
}
