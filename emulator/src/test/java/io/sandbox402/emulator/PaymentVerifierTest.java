package io.sandbox402.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.testing.DevKeys;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.Wallet;
import io.sandbox402.x402.internal.Authorization;
import io.sandbox402.x402.internal.Eip3009Signer;
import io.sandbox402.x402.internal.Eip712Domain;
import io.sandbox402.x402.internal.PaymentPayload;
import io.sandbox402.x402.internal.PaymentRequirements;
import io.sandbox402.x402.internal.X402Codec;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PaymentVerifierTest {
    static final Instant NOW = Instant.parse("2026-11-23T05:00:00Z");
    static final long T = NOW.getEpochSecond();
    static final Wallet PAYER = Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY);
    static final PaymentRequirements PRICE = PaymentRequirements.exact(Network.BASE, BigInteger.valueOf(1000), DevKeys.ACCOUNT_1_ADDRESS);

    final PaymentVerifier verifier = new PaymentVerifier(Clock.fixed(NOW, ZoneOffset.UTC), payer -> BigInteger.valueOf(5000));

    /** A payment as a client makes it, changed by {@code edit} before signing. */
    static PaymentPayload payment(Network network, UnaryOperator<Authorization> edit, String scheme, String networkName) {
        Authorization authorization = edit.apply(new Authorization(PAYER.address(), DevKeys.ACCOUNT_1_ADDRESS,
                BigInteger.valueOf(1000), T - 600, T + 300, "0x" + "5a".repeat(32)));
        String signature = new Eip3009Signer(PAYER).sign(Eip712Domain.usdc(network), authorization);
        return new PaymentPayload(2, scheme, networkName, null, PRICE.raw(), signature, authorization, null);
    }

    static PaymentPayload payment(UnaryOperator<Authorization> edit) {
        return payment(Network.BASE, edit, "exact", "eip155:8453");
    }

    static Authorization with(Authorization a, String to, long value, long validAfter, long validBefore) {
        return new Authorization(a.from(), to, BigInteger.valueOf(value), validAfter, validBefore, a.nonce());
    }

    @Test
    void should_accept_a_good_payment_and_name_the_payer() {
        assertThat(verifier.verify(payment(a -> a), PRICE)).isEqualTo(Verification.valid(PAYER.address()));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("another scheme", payment(Network.BASE, a -> a, "upto", "eip155:8453"), "invalid_scheme"),
                Arguments.of("another network", payment(Network.BASE, a -> a, "exact", "eip155:84532"), "invalid_network"),
                Arguments.of("signed in another domain", payment(Network.BASE_SEPOLIA, a -> a, "exact", "eip155:8453"),
                        "invalid_exact_evm_payload_signature"),
                Arguments.of("another payee", payment(a -> with(a, DevKeys.ACCOUNT_2_ADDRESS, 1000, T - 600, T + 300)),
                        "invalid_exact_evm_payload_recipient_mismatch"),
                Arguments.of("expiring in 5 seconds", payment(a -> with(a, a.to(), 1000, T - 600, T + 5)),
                        "invalid_exact_evm_payload_authorization_valid_before"),
                Arguments.of("valid only from later", payment(a -> with(a, a.to(), 1000, T + 60, T + 300)),
                        "invalid_exact_evm_payload_authorization_valid_after"),
                Arguments.of("too little", payment(a -> with(a, a.to(), 999, T - 600, T + 300)),
                        "invalid_exact_evm_payload_authorization_value"),
                Arguments.of("too much", payment(a -> with(a, a.to(), 1001, T - 600, T + 300)),
                        "invalid_exact_evm_payload_authorization_value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void should_refuse_with_the_reference_reason_when_the_payment_is(String description, PaymentPayload payment, String reason) {
        assertThat(verifier.verify(payment, PRICE)).isEqualTo(Verification.invalid(reason, PAYER.address()));
    }

    @Test
    void should_refuse_a_signature_that_was_tampered_with() {
        PaymentPayload good = payment(a -> a);
        String tampered = good.signature().substring(0, 10) + (good.signature().charAt(10) == '0' ? '1' : '0')
                + good.signature().substring(11);
        PaymentPayload bad = new PaymentPayload(2, "exact", "eip155:8453", null, null, tampered, good.authorization(), null);

        assertThat(verifier.verify(bad, PRICE).invalidReason()).isEqualTo("invalid_exact_evm_payload_signature");
    }

    /** The high-s twin of a signature: s' = n - s and v flipped; it recovers the same key. */
    static String highS(String signature) {
        BigInteger n = PaymentVerifier.HALF_N.shiftLeft(1).add(BigInteger.ONE);
        BigInteger s = new BigInteger(signature.substring(66, 130), 16);
        int v = Integer.parseInt(signature.substring(130), 16);
        return signature.substring(0, 66) + String.format("%064x", n.subtract(s)) + String.format("%02x", v == 27 ? 28 : 27);
    }

    @Test
    void should_refuse_a_high_s_signature_although_it_recovers_the_payer() {
        // given a good payment's high-s twin
        PaymentPayload good = payment(a -> a);
        String twin = highS(good.signature());
        assertThat(Eip3009Signer.recover(Eip712Domain.usdc(Network.BASE), good.authorization(), twin))
                .isEqualTo(PAYER.address());
        PaymentPayload bad = new PaymentPayload(2, "exact", "eip155:8453", null, null, twin, good.authorization(), null);

        // when
        Verification verification = verifier.verify(bad, PRICE);

        // then
        assertThat(verification.invalidReason()).isEqualTo("invalid_exact_evm_payload_signature");
    }

    @Test
    void should_refuse_a_replayed_nonce() {
        // given a payment that settled
        PaymentPayload payment = payment(a -> a);
        assertThat(verifier.verify(payment, PRICE).valid()).isTrue();
        assertThat(verifier.markUsed(payment.authorization().from(), payment.authorization().nonce())).isTrue();

        // when it is sent again
        Verification again = verifier.verify(payment, PRICE);

        // then
        assertThat(again.invalidReason()).isEqualTo("invalid_transaction_state");
        assertThat(verifier.markUsed(payment.authorization().from(), payment.authorization().nonce())).isFalse();
    }

    @Test
    void should_accept_a_nonce_again_once_released() {
        // given a payment claimed for a call that then failed
        PaymentPayload payment = payment(a -> a);
        assertThat(verifier.markUsed(payment.authorization().from(), payment.authorization().nonce())).isTrue();

        // when
        verifier.release(payment.authorization().from(), payment.authorization().nonce());

        // then
        assertThat(verifier.verify(payment, PRICE).valid()).isTrue();
    }

    @Test
    void should_refuse_when_the_balance_does_not_cover_the_value() {
        PaymentVerifier poor = new PaymentVerifier(Clock.fixed(NOW, ZoneOffset.UTC), payer -> BigInteger.valueOf(999));

        assertThat(poor.verify(payment(a -> a), PRICE).invalidReason()).isEqualTo("insufficient_funds");
    }

    @Test
    void should_check_the_signature_before_the_payee() {
        // both wrong: the signature's reason comes first, as in the reference order
        PaymentPayload payment = payment(Network.BASE_SEPOLIA, a -> with(a, DevKeys.ACCOUNT_2_ADDRESS, 1, T, T + 1),
                "exact", "eip155:8453");

        assertThat(verifier.verify(payment, PRICE).invalidReason()).isEqualTo("invalid_exact_evm_payload_signature");
    }

    @Test
    void should_round_trip_a_payment_through_the_codec() {
        PaymentPayload payment = payment(a -> a);

        PaymentPayload decoded = X402Server.decodePayment(X402Codec.encodePayment(payment));

        assertThat(decoded.authorization()).isEqualTo(payment.authorization());
        assertThat(decoded.signature()).isEqualTo(payment.signature());
        assertThat(decoded.network()).isEqualTo("eip155:8453");
        assertThat(verifier.verify(decoded, PRICE).valid()).isTrue();
        assertThat(decoded.toString()).doesNotContain(payment.signature().substring(2, 20));
    }

    @Test
    void should_still_refuse_another_signer_a_wrong_domain_and_high_s_once_the_payer_is_known() {
        // given the payer's key known from a good payment
        assertThat(verifier.verify(payment(a -> a), PRICE).valid()).isTrue();
        Authorization authorization = new Authorization(PAYER.address(), DevKeys.ACCOUNT_1_ADDRESS,
                BigInteger.valueOf(1000), T - 600, T + 300, "0x" + "6b".repeat(32));
        String byAnother = new Eip3009Signer(Wallet.fromHex(DevKeys.ACCOUNT_2_KEY)).sign(Eip712Domain.usdc(Network.BASE), authorization);
        String otherDomain = new Eip3009Signer(PAYER).sign(Eip712Domain.usdc(Network.BASE_SEPOLIA), authorization);
        String good = new Eip3009Signer(PAYER).sign(Eip712Domain.usdc(Network.BASE), authorization);

        // then
        for (String signature : new String[] {byAnother, otherDomain, highS(good)}) {
            PaymentPayload bad = new PaymentPayload(2, "exact", "eip155:8453", null, null, signature, authorization, null);
            assertThat(verifier.verify(bad, PRICE).invalidReason()).as(signature).isEqualTo("invalid_exact_evm_payload_signature");
        }
        PaymentPayload payment = new PaymentPayload(2, "exact", "eip155:8453", null, null, good, authorization, null);
        assertThat(verifier.verify(payment, PRICE).valid()).isTrue();
    }
}
