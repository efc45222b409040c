package io.sandbox402.benchmarks;

import static io.sandbox402.benchmarks.Bench.fmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.Wallet;
import io.sandbox402.x402.internal.Authorization;
import io.sandbox402.x402.internal.Eip3009Signer;
import io.sandbox402.x402.internal.Eip712Domain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Row 1: signing one EIP-3009 authorization. The anchor is viem's {@code signTypedData} in
 * {@code interop/bench/sign-typed-data.mjs}; ours is the public {@link Eip3009Signer#sign} (EIP-712
 * hashing, ECDSA, hex). Both sign random authorizations after a warm-up to steady state (JIT-compiled
 * on both sides); rounds alternate node and Java, and the medians of the per-round ms/op are compared.
 */
final class SigningRow {
    private static final String WHAT = "1. signing one EIP-3009 authorization";
    private static final String ANCHOR = "viem `signTypedData` (Node)";
    private static final String TARGET = "≤ 0.25×";
    /** Signatures before the rounds: enough for C2 to compile the per-signature methods. */
    private static final int JAVA_WARM_UP = 12_000;
    /** Signatures before each node round (a fresh process each time): V8 optimizes well within them. */
    private static final int NODE_WARM_UP = 2_000;

    private final Path interop;
    private final int rounds;
    private final int ops;
    private final SecureRandom random = new SecureRandom();

    SigningRow(Path interop, int rounds, int ops) {
        this.interop = interop;
        this.rounds = rounds;
        this.ops = ops;
    }

    Row measure() throws Exception {
        Wallet wallet = Wallet.fromHex(Bench.DEV_KEY);
        Eip3009Signer signer = new Eip3009Signer(wallet);
        Eip712Domain domain = Eip712Domain.usdc(Network.BASE);
        String whyNoAnchor = whyNoNode();
        // Steady state on both sides: per-signature methods (digest, nonce, signature assembly) are called
        // once per signature and reach C2 after about 5,000 calls; 1,600 left them in profiled C1 code.
        javaMillisPerOp(signer, domain, wallet, JAVA_WARM_UP); // JIT warm-up, not reported
        List<Double> viem = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        String viemVersion = "";
        for (int round = 0; round < rounds; round++) {
            if (whyNoAnchor == null) {
                JsonNode result = viemMillisPerOp();
                viem.add(result.get("msPerOp").asDouble());
                viemVersion = " " + result.get("viem").asText();
            }
            ours.add(javaMillisPerOp(signer, domain, wallet, ops));
            Bench.progress(fmt("signing round %d: viem %s ms/op, ours %.3f ms/op", round + 1,
                    viem.isEmpty() ? "n/a" : fmt("%.3f", viem.get(viem.size() - 1)), ours.get(ours.size() - 1)));
        }
        double oursMs = Bench.median(ours);
        String oursText = fmt("%.3f ms/op (`Eip3009Signer.sign`)", oursMs);
        if (whyNoAnchor != null) {
            return new Row(WHAT, ANCHOR, "n/a: " + whyNoAnchor, oursText, "n/a", TARGET);
        }
        double viemMs = Bench.median(viem);
        double ratio = oursMs / viemMs;
        return new Row(WHAT, ANCHOR.replace("`signTypedData`", "`signTypedData`" + viemVersion),
                fmt("%.3f ms/op", viemMs), oursText, Bench.times(ratio), Bench.verdict(TARGET, ratio <= 0.25));
    }

    private String whyNoNode() {
        if (Bench.onPath("node") == null) {
            return "node not found on PATH";
        }
        if (!Files.isRegularFile(interop.resolve("bench/sign-typed-data.mjs"))) {
            return interop.resolve("bench/sign-typed-data.mjs") + " not found (run from the repository root or pass --interop DIR)";
        }
        if (!Files.isDirectory(interop.resolve("node_modules/viem"))) {
            return "viem not installed in " + interop.resolve("node_modules") + " (run npm ci in interop/)";
        }
        return null;
    }

    private JsonNode viemMillisPerOp() throws Exception {
        List<String> command = List.of("node", interop.resolve("bench/sign-typed-data.mjs").toString(),
                Integer.toString(ops), Integer.toString(NODE_WARM_UP));
        Bench.Exit exit = Bench.run(command, Map.of(), Duration.ofMinutes(2)).ok(command);
        String[] lines = exit.stdout().strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    /** Signs {@code count} random authorizations prepared beforehand; returns ms per signature. */
    private double javaMillisPerOp(Eip3009Signer signer, Eip712Domain domain, Wallet wallet, int count) {
        List<Authorization> authorizations = new ArrayList<>(count);
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < count; i++) {
            authorizations.add(new Authorization(wallet.address(), "0x" + hex(20), BigInteger.valueOf(1 + random.nextInt(1 << 24)),
                    now - 600, now + 300, "0x" + hex(32)));
        }
        int sink = 0;
        long started = System.nanoTime();
        for (Authorization authorization : authorizations) {
            sink += signer.sign(domain, authorization).length();
        }
        long nanos = System.nanoTime() - started;
        if (sink == 42) {
            System.err.print(""); // keeps the signatures observable so nothing is optimized away
        }
        return nanos / 1e6 / count;
    }

    private String hex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
