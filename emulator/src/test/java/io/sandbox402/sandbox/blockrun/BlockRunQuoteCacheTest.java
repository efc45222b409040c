package io.sandbox402.sandbox.blockrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.EmulatorRequest;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.LedgerEntry;
import io.sandbox402.x402.Wallet;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quote cache end to end: a second provider (a later process) sharing the first one's cache
 * directory pays every call with one request, counted on the emulator's log.
 */
class BlockRunQuoteCacheTest {
    private static final String PROPERTY = "sandbox402.quoteCache";

    @TempDir
    Path cache;
    LocalProvider local;
    BlockRunEmulator emulator;

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local).build().start();
        System.setProperty(PROPERTY, cache.toString()); // BlockRunProvider's default cache, here a temporary directory
    }

    @AfterEach
    void stop() {
        System.clearProperty(PROPERTY);
        emulator.close();
        local.close();
    }

    BlockRunProvider provider() {
        return BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(Wallet.fromHex(DevKeys.ACCOUNT_0_KEY))
                .shutdownHook(false).build();
    }

    /** A process's session: create, {@code execs} execs, terminate; returns the emulator's log of it. */
    List<EmulatorRequest> session(BlockRunProvider provider, int execs) {
        int before = emulator.requests().size();
        Sandbox sandbox = provider.create(SandboxSpec.defaults());
        for (int i = 0; i < execs; i++) {
            assertThat(sandbox.exec("echo", Integer.toString(i)).stdout()).isEqualTo(i + "\n");
        }
        sandbox.terminate();
        List<EmulatorRequest> log = emulator.requests();
        return List.copyOf(log.subList(before, log.size()));
    }

    @Test
    void should_pay_each_call_of_a_second_process_with_one_request() {
        // given a first process that learned the prices (402, then paid, for each operation)
        try (BlockRunProvider first = provider()) {
            assertThat(first.remembersPrice("create")).isFalse();
            assertThat(session(first, 1)).hasSize(6);
        }

        // when
        List<EmulatorRequest> oneShot;
        List<EmulatorRequest> fiveExecs;
        try (BlockRunProvider second = provider()) {
            assertThat(second.remembersPrice("create")).isTrue();
            oneShot = session(second, 1);
        }
        try (BlockRunProvider third = provider()) {
            fiveExecs = session(third, 5);
        }

        // then
        assertThat(oneShot).extracting(EmulatorRequest::operation).containsExactly("create", "exec", "terminate");
        assertThat(oneShot).allSatisfy(request -> assertThat(request.paid() && request.status() < 400).isTrue());
        assertThat(fiveExecs).hasSize(7).allSatisfy(request -> assertThat(request.paid() && request.status() < 400).isTrue());
        assertThat(emulator.runningSandboxes()).isZero();
    }

    @Test
    void should_fall_back_once_and_count_the_refused_authorization_when_the_price_moved() throws Exception {
        // given a stored exec price one unit below BlockRun's
        try (BlockRunProvider first = provider()) {
            session(first, 1);
        }
        Path file;
        try (Stream<Path> files = Files.list(cache)) {
            file = files.filter(path -> path.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        BigInteger price = null;
        for (Iterator<Map.Entry<String, JsonNode>> quotes = root.get("quotes").fields(); quotes.hasNext(); ) {
            Map.Entry<String, JsonNode> quote = quotes.next();
            if (quote.getKey().contains("/exec ")) {
                price = new BigInteger(quote.getValue().get("amount").asText());
                String lower = price.subtract(BigInteger.ONE).toString();
                ((ObjectNode) quote.getValue()).put("amount", lower);
                ((ObjectNode) quote.getValue().get("requirements").get("accepts").get(0)).put("amount", lower);
            }
        }
        Files.write(file, json.writeValueAsBytes(root));

        // when
        List<EmulatorRequest> log;
        try (BlockRunProvider second = provider()) {
            log = session(second, 2);

            // then: one request more than a hit (the refused pre-payment), the right price paid after it
            assertThat(log).extracting(EmulatorRequest::operation, EmulatorRequest::paid).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("create", true),
                    org.assertj.core.groups.Tuple.tuple("exec", true),
                    org.assertj.core.groups.Tuple.tuple("exec", true),
                    org.assertj.core.groups.Tuple.tuple("exec", true),
                    org.assertj.core.groups.Tuple.tuple("terminate", true));
            assertThat(log.get(1).status()).isEqualTo(402);
            LedgerEntry refused = second.ledger().entries().get(1);
            assertThat(refused.outcome()).isEqualTo(LedgerEntry.Outcome.UNUSED);
            assertThat(refused.amount()).isEqualTo(price.subtract(BigInteger.ONE));
            assertThat(second.ledger().totalExposed()).isEqualByComparingTo(refused.usd());
            assertThat(second.ledger().totalAtRisk())
                    .isEqualByComparingTo(second.ledger().totalSettled().add(refused.usd()));
        }
        JsonNode updated = json.readTree(file.toFile());
        for (Iterator<Map.Entry<String, JsonNode>> quotes = updated.get("quotes").fields(); quotes.hasNext(); ) {
            Map.Entry<String, JsonNode> quote = quotes.next();
            if (quote.getKey().contains("/exec ")) {
                assertThat(quote.getValue().get("amount").asText()).isEqualTo(price.toString());
            }
        }
    }
}
