package io.sandbox402.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.emulator.EmulatorPayment;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.DevKeys;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.x402.LedgerEntry;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.SpendLedger;
import io.sandbox402.x402.Wallet;
import io.sandbox402.x402.X402Interceptor;
import io.sandbox402.x402.internal.Authorization;
import io.sandbox402.x402.internal.Eip3009Signer;
import io.sandbox402.x402.internal.Eip712Domain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

/** sandbox402 against the reference x402 TypeScript packages (@x402/express, @x402/fetch, viem), both ways. */
class ReferenceInteropTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_pay_the_reference_express_server(@org.junit.jupiter.api.io.TempDir Path logs) throws Exception {
        // given @x402/express's middleware with a local facilitator that verifies with viem
        Path folder = NodeScripts.folder();
        Path log = logs.resolve("server.log");
        Process server = NodeScripts.node(folder, "reference-server.mjs",
                Map.of("PORT", "0", "PAY_TO", DevKeys.ACCOUNT_1_ADDRESS)).redirectError(log.toFile()).start();
        try (OutputStream keepAlive = server.getOutputStream()) {
            String first = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(first).as("the server's first line").isNotNull().startsWith("{\"port\":");
            int port = JSON.readTree(first).get("port").asInt();
            SpendLedger ledger = new SpendLedger();
            OkHttpClient client = new OkHttpClient.Builder()
                    .addInterceptor(X402Interceptor.builder().wallet(Wallet.fromHex(BlockRunEmulator.DEVELOPMENT_KEY)).ledger(ledger).build())
                    .build();

            // when we pay it twice (the second time with pre-payment)
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/paid")
                        .post(RequestBody.create("{\"call\":" + i + "}", MediaType.get("application/json"))).build();
                try (Response response = client.newCall(request).execute()) {
                    assertThat(response.code()).as("status of call %d", i).isEqualTo(200);
                    bodies.add(response.body().string());
                }
            }

            // then the reference server verified, served and settled both
            assertThat(bodies).containsExactly("{\"ok\":true,\"echo\":{\"call\":0}}", "{\"ok\":true,\"echo\":{\"call\":1}}");
            assertThat(ledger.entries()).extracting(LedgerEntry::outcome)
                    .containsExactly(LedgerEntry.Outcome.SETTLED, LedgerEntry.Outcome.SETTLED);
            assertThat(ledger.entries()).allSatisfy(entry -> {
                assertThat(entry.transaction()).matches("0x[0-9a-f]{64}");
                assertThat(entry.amount()).isEqualTo(BigInteger.valueOf(1000));
                assertThat(entry.payTo()).isEqualTo(DevKeys.ACCOUNT_1_ADDRESS);
            });
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(java.nio.file.Files.readString(log)).contains("\"event\":\"verify\",\"isValid\":true").contains("\"event\":\"settle\",\"success\":true")
                .doesNotContain("\"isValid\":false");
    }

    @Test
    void should_be_paid_by_the_reference_fetch_client() throws Exception {
        // given the emulator
        Path folder = NodeScripts.folder();
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
            try (BlockRunEmulator emulator = BlockRunEmulator.builder().provider(local).build().start()) {
                // when @x402/fetch with a viem account pays its create, exec and terminate
                Process client = NodeScripts.node(folder, "reference-client.mjs",
                        Map.of("BASE_URL", emulator.baseUrl(), "PRIVATE_KEY", DevKeys.ACCOUNT_2_KEY))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                client.getOutputStream().close();
                String output = NodeScripts.read(client);
                assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(client.exitValue()).as(output).isZero();

                // then each payment was accepted, the code ran, and nothing is left running
                JsonNode result = JSON.readTree(output);
                for (String operation : List.of("create", "exec", "terminate")) {
                    assertThat(result.get(operation).get("status").asInt()).as(operation).isEqualTo(200);
                    assertThat(result.get(operation).get("paymentResponse").get("success").asBoolean()).as(operation).isTrue();
                }
                assertThat(result.get("exec").get("body").get("stdout").asText()).isEqualTo("4\n");
                assertThat(emulator.payments()).extracting(EmulatorPayment::operation, EmulatorPayment::settled,
                                EmulatorPayment::payer)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple("create", true, DevKeys.ACCOUNT_2_ADDRESS),
                                org.assertj.core.groups.Tuple.tuple("exec", true, DevKeys.ACCOUNT_2_ADDRESS),
                                org.assertj.core.groups.Tuple.tuple("terminate", true, DevKeys.ACCOUNT_2_ADDRESS));
                assertThat(emulator.runningSandboxes()).isZero();
            }
        }
    }

    @Test
    void should_sign_byte_for_byte_like_viem() throws Exception {
        // given 100 random authorizations on both networks, signed by us
        Path folder = NodeScripts.folder();
        Random random = new Random(402);
        List<Wallet> wallets = new ArrayList<>();
        List<Authorization> authorizations = new ArrayList<>();
        List<Eip712Domain> domains = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String key = Numeric.toHexStringWithPrefixZeroPadded(new BigInteger(250, random).add(BigInteger.ONE), 64);
            Wallet wallet = Wallet.fromHex(key);
            Network network = i % 2 == 0 ? Network.BASE : Network.BASE_SEPOLIA;
            long after = 1_700_000_000L + random.nextInt(100_000_000);
            Authorization authorization = new Authorization(wallet.address(),
                    Numeric.toHexStringWithPrefixZeroPadded(new BigInteger(160, random), 40),
                    new BigInteger(random.nextInt(3) == 0 ? 200 : 40, random), after, after + 1 + random.nextInt(100_000),
                    Numeric.toHexStringWithPrefixZeroPadded(new BigInteger(256, random), 64));
            Eip712Domain domain = Eip712Domain.usdc(network);
            String signature = new Eip3009Signer(wallet).sign(domain, authorization);
            wallets.add(wallet);
            authorizations.add(authorization);
            domains.add(domain);
            ours.add(signature);
            input.append(JSON.writeValueAsString(Map.of(
                    "privateKey", key,
                    "domain", Map.of("name", domain.name(), "version", domain.version(), "chainId", domain.chainId(),
                            "verifyingContract", domain.verifyingContract()),
                    "message", Map.of("from", authorization.from(), "to", authorization.to(),
                            "value", authorization.value().toString(), "validAfter", Long.toString(authorization.validAfter()),
                            "validBefore", Long.toString(authorization.validBefore()), "nonce", authorization.nonce()),
                    "signature", signature))).append('\n');
        }

        // when viem signs the same and recovers ours
        Process node = NodeScripts.node(folder, "sign-vectors.mjs", Map.of()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = node.getOutputStream()) {
            in.write(input.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<String> lines = NodeScripts.read(node).lines().toList();
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // then the signatures are identical and each side recovers the other's signer
        assertThat(lines).hasSize(100);
        for (int i = 0; i < 100; i++) {
            JsonNode viem = JSON.readTree(lines.get(i));
            assertThat(viem.get("signature").asText()).as("signature %d", i).isEqualTo(ours.get(i));
            assertThat(viem.get("address").asText()).isEqualTo(wallets.get(i).address());
            assertThat(viem.get("recovered").asText()).as("viem recovers ours %d", i).isEqualTo(wallets.get(i).address());
            assertThat(Eip3009Signer.recover(domains.get(i), authorizations.get(i), viem.get("signature").asText()))
                    .as("we recover viem's %d", i).isEqualTo(wallets.get(i).address());
        }
    }
}
