package io.sandbox402.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.testing.DevKeys;
import java.io.IOException;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every unreadable or unpayable 402 gives a clear payment exception (never an NPE or a raw
 * IllegalArgumentException), and nothing is signed.
 */
class MalformedPaymentRequestTest {
    final MockWebServer server = new MockWebServer();
    final SpendLedger ledger = new SpendLedger();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String entry(String amount, String network, String asset) {
        return "{\"x402Version\":2,\"resource\":{\"url\":\"u\"},\"accepts\":[{\"scheme\":\"exact\",\"network\":\"" + network
                + "\",\"amount\":" + amount + ",\"asset\":\"" + asset + "\",\"payTo\":\"" + DevKeys.ACCOUNT_1_ADDRESS
                + "\",\"maxTimeoutSeconds\":300}]}";
    }

    static final String USDC = Network.BASE.usdcAddress();

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("header that is not base64", header("%%%not base64%%%"),
                        MalformedPaymentRequestException.class, "The PAYMENT-REQUIRED header is not base64"),
                Arguments.of("JSON that does not parse", header(Quotes.base64("{\"x402Version\":2,")),
                        MalformedPaymentRequestException.class, "The PAYMENT-REQUIRED header is not valid JSON"),
                Arguments.of("JSON that is not an object", header(Quotes.base64("[1,2]")),
                        MalformedPaymentRequestException.class, "The PAYMENT-REQUIRED header is not a JSON object."),
                Arguments.of("unknown version", header(Quotes.base64("{\"x402Version\":7,\"accepts\":[]}")),
                        MalformedPaymentRequestException.class, "Unsupported x402Version 7"),
                Arguments.of("empty accepts", header(Quotes.base64("{\"x402Version\":2,\"accepts\":[]}")),
                        MalformedPaymentRequestException.class, "The 402 offers no way to pay: 'accepts' is missing or empty."),
                Arguments.of("missing payTo", header(Quotes.base64(entry("\"1000\"", "eip155:8453", USDC)
                                .replace(",\"payTo\":\"" + DevKeys.ACCOUNT_1_ADDRESS + "\"", ""))),
                        MalformedPaymentRequestException.class, "accepts[0] lacks 'payTo'."),
                Arguments.of("missing amount", header(Quotes.base64(entry("null", "eip155:8453", USDC))),
                        MalformedPaymentRequestException.class, "accepts[0] lacks 'amount'"),
                Arguments.of("negative amount", header(Quotes.base64(entry("\"-5\"", "eip155:8453", USDC))),
                        MalformedPaymentRequestException.class,
                        "accepts[0].amount must be a whole non-negative number of atomic units, was \"-5\"."),
                Arguments.of("non-numeric amount", header(Quotes.base64(entry("\"0.001\"", "eip155:8453", USDC))),
                        MalformedPaymentRequestException.class,
                        "accepts[0].amount must be a whole non-negative number of atomic units, was \"0.001\"."),
                Arguments.of("enormous amount", header(Quotes.base64(entry("\"" + "9".repeat(78) + "\"", "eip155:8453", USDC))),
                        MalformedPaymentRequestException.class, "accepts[0].amount is larger than a uint256"),
                Arguments.of("amount above the cap", header(Quotes.base64(entry("\"" + "9".repeat(30) + "\"", "eip155:8453", USDC))),
                        PaymentRefusedException.class, "above the per-call cap of $0.05"),
                Arguments.of("unknown network", header(Quotes.base64(entry("\"1000\"", "eip155:1", USDC))),
                        UnsupportedPaymentException.class, "Offered: exact on eip155:1 (unknown network)."),
                Arguments.of("unknown asset", header(Quotes.base64(entry("\"1000\"", "eip155:8453", DevKeys.ACCOUNT_2_ADDRESS))),
                        UnsupportedPaymentException.class,
                        "Offered: exact on eip155:8453 (asset " + DevKeys.ACCOUNT_2_ADDRESS + " is not USDC on that network)."),
                Arguments.of("unknown scheme", header(Quotes.base64(entry("\"1000\"", "eip155:8453", USDC).replace("\"exact\"", "\"upto\""))),
                        UnsupportedPaymentException.class, "(scheme 'upto' is not supported; only 'exact')"),
                Arguments.of("no header and no body", new MockResponse.Builder().code(402).build(),
                        MalformedPaymentRequestException.class,
                        "The 402 has no PAYMENT-REQUIRED header and no body; nothing says how to pay."),
                Arguments.of("a body without accepts", new MockResponse.Builder().code(402).body("{\"error\":\"Payment Required\"}").build(),
                        MalformedPaymentRequestException.class,
                        "The 402 has no PAYMENT-REQUIRED header and its body has no 'accepts'; nothing says how to pay."),
                Arguments.of("payTo that is not an address", header(Quotes.base64(withPayTo("\"blockrun\""))),
                        MalformedPaymentRequestException.class,
                        "accepts[0].payTo must be an address (0x and 40 hex digits), was 'blockrun'. Nothing was signed."),
                Arguments.of("payTo that is too short", header(Quotes.base64(withPayTo("\"0x1234\""))),
                        MalformedPaymentRequestException.class,
                        "accepts[0].payTo must be an address (0x and 40 hex digits), was '0x1234'. Nothing was signed."),
                Arguments.of("payTo as a number", header(Quotes.base64(withPayTo("12345"))),
                        MalformedPaymentRequestException.class,
                        "accepts[0].payTo must be an address (0x and 40 hex digits), was '12345'. Nothing was signed."),
                Arguments.of("payTo as an object", header(Quotes.base64(withPayTo("{\"address\":\"" + DevKeys.ACCOUNT_1_ADDRESS + "\"}"))),
                        MalformedPaymentRequestException.class, "accepts[0] lacks 'payTo'."),
                Arguments.of("a long payTo, abbreviated", header(Quotes.base64(withPayTo("\"" + "x".repeat(200) + "\""))),
                        MalformedPaymentRequestException.class,
                        "accepts[0].payTo must be an address (0x and 40 hex digits), was '" + "x".repeat(77) + "...'."),
                Arguments.of("a bad payTo in a second entry", header(Quotes.base64(entry("\"1000\"", "eip155:8453", USDC)
                                .replace("}]}", "},{\"scheme\":\"exact\",\"network\":\"eip155:8453\",\"amount\":\"1\",\"asset\":\""
                                        + USDC + "\",\"payTo\":\"0xZZ\"}]}"))),
                        MalformedPaymentRequestException.class,
                        "accepts[1].payTo must be an address (0x and 40 hex digits), was '0xZZ'. Nothing was signed."),
                Arguments.of("a version 1 body with a bad payTo", new MockResponse.Builder().code(402)
                                .body("{\"x402Version\":1,\"accepts\":[{\"scheme\":\"exact\",\"network\":\"base\","
                                        + "\"maxAmountRequired\":\"1000\",\"asset\":\"" + USDC + "\",\"payTo\":\"me\"}]}").build(),
                        MalformedPaymentRequestException.class,
                        "accepts[0].payTo must be an address (0x and 40 hex digits), was 'me'. Nothing was signed."),
                Arguments.of("maxTimeoutSeconds of zero", header(Quotes.base64(withTimeout("0"))),
                        MalformedPaymentRequestException.class, "accepts[0].maxTimeoutSeconds must be between 1 and 86400, was 0."),
                Arguments.of("maxTimeoutSeconds above a day", header(Quotes.base64(withTimeout("86401"))),
                        MalformedPaymentRequestException.class, "accepts[0].maxTimeoutSeconds must be between 1 and 86400, was 86401."),
                Arguments.of("maxTimeoutSeconds that is not a number", header(Quotes.base64(withTimeout("\"soon\""))),
                        MalformedPaymentRequestException.class,
                        "accepts[0].maxTimeoutSeconds must be a whole non-negative number of atomic units, was \"soon\"."),
                Arguments.of("a fractional amount", header(Quotes.base64(entry("1000.5", "eip155:8453", USDC))),
                        MalformedPaymentRequestException.class,
                        "accepts[0].amount must be a whole non-negative number of atomic units, was 1000.5."),
                Arguments.of("network as an object", header(Quotes.base64(entry("\"1000\"", "eip155:8453", USDC)
                                .replace("\"eip155:8453\"", "{\"id\":8453}"))),
                        MalformedPaymentRequestException.class, "accepts[0] lacks 'network'."),
                Arguments.of("missing scheme", header(Quotes.base64(entry("\"1000\"", "eip155:8453", USDC)
                                .replace("\"scheme\":\"exact\",", ""))),
                        MalformedPaymentRequestException.class, "accepts[0] lacks 'scheme'."),
                Arguments.of("accepts that is not an array", header(Quotes.base64("{\"x402Version\":2,\"accepts\":{\"scheme\":\"exact\"}}")),
                        MalformedPaymentRequestException.class, "The 402 offers no way to pay: 'accepts' is missing or empty."),
                Arguments.of("an accepts entry that is not an object", header(Quotes.base64("{\"x402Version\":2,\"accepts\":[1]}")),
                        MalformedPaymentRequestException.class, "accepts[0] is not a JSON object."));
    }

    static String withPayTo(String payTo) {
        return entry("\"1000\"", "eip155:8453", USDC).replace("\"" + DevKeys.ACCOUNT_1_ADDRESS + "\"", payTo);
    }

    static String withTimeout(String seconds) {
        return entry("\"1000\"", "eip155:8453", USDC).replace("\"maxTimeoutSeconds\":300", "\"maxTimeoutSeconds\":" + seconds);
    }

    static MockResponse header(String value) {
        return new MockResponse.Builder().code(402).setHeader("PAYMENT-REQUIRED", value).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void should_fail_clearly_without_signing_when_given(String description, MockResponse response,
            Class<? extends PaymentException> expected, String message) {
        // given
        server.enqueue(response);
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(X402Interceptor.builder().wallet(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY)).ledger(ledger).build())
                .build();

        // when / then
        assertThatThrownBy(() -> client.newCall(new Request.Builder().url(server.url("/paid")).build()).execute())
                .isInstanceOf(PaymentIOException.class)
                .cause()
                .isInstanceOf(expected)
                .hasMessageContaining(message);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(ledger.entries()).isEmpty();
    }
}
