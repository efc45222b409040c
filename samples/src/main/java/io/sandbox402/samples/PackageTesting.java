package io.sandbox402.samples;

import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.PaymentPolicy;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Testing a package in isolation: copy a package's sources and tests into a fresh sandbox and run its
 * test suite there, so untrusted code and its tests never touch this machine. (On BlockRun, a spec's
 * setup commands can {@code pip install} its dependencies first.)
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
        System.exit(run(SampleSandboxes.kind(args), System.out).exitCode() == 0 ? 0 : 1);
    }

    static ExecResult run(String kind, PrintStream out) {
        try (SampleSandboxes sandboxes = SampleSandboxes.open(kind, PaymentPolicy.defaults());
                Sandbox sandbox = sandboxes.provider().create(SandboxSpec.defaults())) {
            PACKAGE.forEach((path, source) -> sandbox.writeFile("pkg/" + path, source.getBytes(StandardCharsets.UTF_8)));
            ExecResult result = sandbox.exec("sh", "-c", "cd pkg && python3 -m unittest discover -s tests -v 2>&1");
            out.print(result.stdout());
            out.println((result.succeeded() ? "PASSED" : "FAILED") + " (" + sandboxes.spent() + ")");
            return result;
        }
    }
}
