package io.sandbox402.emulator;

import static io.sandbox402.emulator.EmulatorHttp.pay;
import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.emulator.EmulatorHttp.Answer;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.internal.PaymentRequired;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public beta's limits, each just inside (priced: a 402) and just outside (a 400 naming the field,
 * answered before any price is asked and even when a payment is attached: nothing charged).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlockRunEmulatorValidationTest {
    static final String SB = "\"sandbox_id\":\"sb-x\"";

    LocalProvider local;
    BlockRunEmulator emulator;
    EmulatorHttp http;

    @BeforeAll
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build(); // no sandbox is ever created here
        emulator = BlockRunEmulator.builder().provider(local).build().start();
        http = new EmulatorHttp(emulator);
    }

    @AfterAll
    void stop() {
        emulator.close();
        local.close();
    }

    static String command(int segments, int chars) {
        StringBuilder body = new StringBuilder("{" + SB + ",\"command\":[");
        for (int i = 0; i < segments; i++) {
            body.append(i == 0 ? "" : ",").append('"').append(i == 0 ? "a".repeat(chars) : "x").append('"');
        }
        return body.append("]}").toString();
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of("32 segments", "exec", command(32, 1), null),
                Arguments.of("33 segments", "exec", command(33, 1), "[\"command\"]"),
                Arguments.of("a 2000-character segment", "exec", command(1, 2000), null),
                Arguments.of("a 2001-character segment", "exec", command(2, 2001), "[\"command\",0]"),
                Arguments.of("no segment", "exec", "{" + SB + ",\"command\":[]}", "[\"command\"]"),
                Arguments.of("exec timeout 1", "exec", "{" + SB + ",\"command\":[\"true\"],\"timeout\":1}", null),
                Arguments.of("exec timeout 60", "exec", "{" + SB + ",\"command\":[\"true\"],\"timeout\":60}", null),
                Arguments.of("exec timeout 0", "exec", "{" + SB + ",\"command\":[\"true\"],\"timeout\":0}", "[\"timeout\"]"),
                Arguments.of("exec timeout 61", "exec", "{" + SB + ",\"command\":[\"true\"],\"timeout\":61}", "[\"timeout\"]"),
                Arguments.of("exec timeout 1.5", "exec", "{" + SB + ",\"command\":[\"true\"],\"timeout\":1.5}", "[\"timeout\"]"),
                Arguments.of("an exec field BlockRun does not know", "exec", "{" + SB + ",\"command\":[\"true\"],\"cwd\":\"/\"}", "[]"),
                Arguments.of("create timeout 10", "create", "{\"timeout\":10}", null),
                Arguments.of("create timeout 9", "create", "{\"timeout\":9}", "[\"timeout\"]"),
                Arguments.of("create timeout 86400", "create", "{\"timeout\":86400}", null),
                Arguments.of("create timeout 86401", "create", "{\"timeout\":86401}", "[\"timeout\"]"),
                Arguments.of("cpu 1.0", "create", "{\"cpu\":1.0}", null),
                Arguments.of("cpu 1.1", "create", "{\"cpu\":1.1}", "[\"cpu\"]"),
                Arguments.of("cpu 8 with a gpu", "create", "{\"cpu\":8,\"gpu\":\"T4\"}", null),
                Arguments.of("cpu 8.1 with a gpu", "create", "{\"cpu\":8.1,\"gpu\":\"T4\"}", "[\"cpu\"]"),
                Arguments.of("memory 1024", "create", "{\"memory\":1024}", null),
                Arguments.of("memory 1025", "create", "{\"memory\":1025}", "[\"memory\"]"),
                Arguments.of("memory 32768 with a gpu", "create", "{\"memory\":32768,\"gpu\":\"A100\"}", null),
                Arguments.of("memory 32769 with a gpu", "create", "{\"memory\":32769,\"gpu\":\"A100\"}", "[\"memory\"]"),
                Arguments.of("image python:3.11", "create", "{\"image\":\"python:3.11\"}", null),
                Arguments.of("image python:3.12", "create", "{\"image\":\"python:3.12\"}", "[\"image\"]"),
                Arguments.of("gpu A100-80GB", "create", "{\"gpu\":\"A100-80GB\"}", "[\"gpu\"]"),
                Arguments.of("empty setup_commands", "create", "{\"setup_commands\":[]}", null),
                Arguments.of("setup_commands", "create", "{\"setup_commands\":[\"pip install numpy\"]}", "[\"setup_commands\"]"),
                Arguments.of("a create field BlockRun does not know", "create", "{\"timeout\":60,\"network\":true}", "[]"),
                Arguments.of("a status field BlockRun does not know", "status", "{" + SB + ",\"verbose\":true}", "[]"),
                Arguments.of("no sandbox_id", "terminate", "{}", "[\"sandbox_id\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void should_price_a_body_within_the_limits_and_refuse_one_outside_before_any_payment(String description,
            String operation, String body, String path) {
        // given
        long paymentsBefore = emulator.paymentCount();
        // a payment of the right shape for some price, to show it is not even looked at
        String payment = pay(http.quote("status", "{" + SB + "}"));

        // when
        Answer unpaid = http.post(operation, body, null);
        Answer paid = http.post(operation, body, payment);

        // then
        if (path == null) {
            assertThat(unpaid.code()).as("%s", unpaid.body()).isEqualTo(402);
            return;
        }
        for (Answer answer : new Answer[] {unpaid, paid}) {
            assertThat(answer.code()).isEqualTo(400);
            assertThat(answer.header("PAYMENT-REQUIRED")).isNull();
            assertThat(answer.body().get("error").asText()).isEqualTo("Invalid request body");
            assertThat(answer.path()).isEqualTo(path);
        }
        assertThat(emulator.paymentCount()).isEqualTo(paymentsBefore);
        assertThat(emulator.requests().subList(emulator.requests().size() - 2, emulator.requests().size()))
                .extracting(EmulatorRequest::status).containsExactly(400, 400);
    }

    @Test
    void should_name_the_unknown_keys_as_zod_does() {
        Answer answer = http.post("create", "{\"timeout\":60,\"network\":true,\"env\":{}}", null);

        assertThat(answer.body().toString()).isEqualTo("{\"error\":\"Invalid request body\",\"details\":[{\"path\":[],"
                + "\"message\":\"Unrecognized key(s) in object: 'network', 'env'\",\"keys\":[\"network\",\"env\"],"
                + "\"code\":\"unrecognized_keys\"}]}");
    }

    @Test
    void should_list_every_issue() {
        Answer answer = http.post("exec", "{\"command\":[\"" + "a".repeat(2001) + "\"],\"timeout\":61}", null);

        assertThat(answer.body().get("details")).extracting(issue -> issue.get("path").toString())
                .containsExactly("[\"sandbox_id\"]", "[\"command\",0]", "[\"timeout\"]");
        assertThat(answer.body().get("details").get(1).get("message").asText())
                .isEqualTo("String must contain at most 2000 character(s)");
        assertThat(answer.body().get("details").get(2).get("message").asText())
                .isEqualTo("Number must be less than or equal to 60");
    }

    @Test
    void should_accept_setup_commands_custom_images_and_extra_fields_under_the_seed_terms() {
        try (BlockRunEmulator seed = BlockRunEmulator.builder().provider(local).profile(BlockRunProfile.seedTerms()).build().start()) {
            EmulatorHttp client = new EmulatorHttp(seed);

            PaymentRequired required = client.quote("create",
                    "{\"image\":\"node:20\",\"setup_commands\":[\"npm i left-pad\"],\"network\":true,\"cpu\":2}");

            assertThat(required.accepts().get(0).amount()).hasToString("10000");
            assertThat(client.post("exec", command(40, 3000), null).code()).isEqualTo(402);
        }
    }
}
