package io.sandbox402.samples;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.SpendLedger;
import io.sandbox402.x402.Usdc;
import io.sandbox402.x402.Wallet;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Testing a package in isolation: copy a package's sources and tests into a fresh sandbox and run its
 * test suite there, so untrusted code and its tests never touch this machine. (On BlockRun, a spec's
 * setup commands can {@code pip install} its dependencies first.)
 *
 * <p>Run: {@code java -cp ... io.sandbox402.samples.PackageTesting [emulator|local|blockrun]}; exits 1 when a test fails.
 */
public final class PackageTesting {
    static final Map<String, String> PACKAGE = Map.of(
            "slugify_lite/__init__.py", """
                    import re

                    def slugify(text):
                        text = re.sub(r"[^a-z0-9]+", "-", text.lower())
                        return text.strip("-")
                    """,
            "tests/test_slugify.py", """
                    import unittest
                    from slugify_lite import slugify

                    class SlugifyTest(unittest.TestCase):
                        def test_spaces(self):
                            self.assertEqual(slugify("Hello World"), "hello-world")

                        def test_symbols(self):
                            self.assertEqual(slugify("  C++ & Java!  "), "c-java")

                        def test_empty(self):
                            self.assertEqual(slugify(""), "")
                    """);

    public static void main(String[] args) {
        System.exit(launch(args, System.out, System.err));
    }

    static int launch(String[] args, PrintStream out, PrintStream err) {
        String kind = args.length == 0 ? "emulator" : args[0];
        if (args.length > 1 || !List.of("emulator", "local", "blockrun").contains(kind)) {
            err.println("usage: PackageTesting [emulator|local|blockrun]");
            return 2;
        }
        try {
            return run(kind, out).succeeded() ? 0 : 1;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    static ExecResult run(String kind, PrintStream out) {
        SpendLedger ledger = new SpendLedger();
        try (BlockRunEmulator emulator = kind.equals("emulator") ? BlockRunEmulator.builder().build().start() : null;
                SandboxProvider provider = switch (kind) {
                    case "local" -> LocalProvider.create();
                    case "emulator" -> BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(Wallet.random())
                            .ledger(ledger).build();
                    default -> BlockRunProvider.builderFromEnvironment().ledger(ledger).build();
                };
                Sandbox sandbox = provider.create(SandboxSpec.defaults())) {
            PACKAGE.forEach((path, source) -> sandbox.writeFile("pkg/" + path, source.getBytes(StandardCharsets.UTF_8)));
            ExecResult result = sandbox.exec("sh", "-c", "cd pkg && python3 -m unittest discover -s tests -v 2>&1");
            out.print(result.stdout());
            out.println((result.succeeded() ? "PASSED" : "FAILED") + " ("
                    + (kind.equals("local") ? "free" : Usdc.format(ledger.totalCommitted())) + ")");
            return result;
        }
    }
}
