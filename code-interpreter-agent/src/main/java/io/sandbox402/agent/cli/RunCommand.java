package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", sortOptions = false,
        description = {"Run code in one sandbox session, without a model: create, run, print, terminate.",
                "Exits with the program's exit code."})
final class RunCommand implements Callable<Integer> {
    private final Environment env;
    private final InputStream stdin;

    @Spec
    CommandSpec spec;

    @Mixin
    SandboxOptions sandboxOptions;

    @Option(names = {"-l", "--language"}, paramLabel = "LANG", defaultValue = "python",
            description = "python, javascript or bash. Default: ${DEFAULT-VALUE}")
    String language;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the code from FILE.")
    Path file;

    @Option(names = "--json", description = "Print stdout, stderr, returncode, cost_usd and the payments as one JSON object.")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "CODE", description = "The code; '-' or nothing reads it from standard input.")
    String code;

    RunCommand(Environment env, InputStream stdin) {
        this.env = env;
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws IOException {
        Language parsed;
        try {
            parsed = Language.parse(language);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String source = source();
        try (SandboxSetup setup = sandboxOptions.open(env)) {
            ExecResult result;
            Sandbox sandbox = setup.provider().create(SandboxSpec.defaults());
            try {
                result = sandbox.runCode(parsed, source);
            } finally {
                sandbox.terminate();
            }
            BigDecimal cost = setup.paid() ? setup.ledger().totalCommitted() : BigDecimal.ZERO;
            if (json) {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                out.put("stdout", result.stdout());
                out.put("stderr", result.stderr());
                out.put("returncode", result.exitCode());
                out.put("timed_out", result.timedOut());
                out.put("duration_seconds", result.duration().toMillis() / 1000.0);
                out.put("sandbox", setup.kind());
                out.put("cost_usd", cost);
                out.set("payments", Payments.json(setup.ledger()));
                spec.commandLine().getOut().println(out);
            } else {
                spec.commandLine().getOut().print(result.stdout());
                spec.commandLine().getErr().print(result.stderr());
                if (setup.paid()) {
                    spec.commandLine().getErr().println("[" + setup.kind() + ": " + setup.ledger().count()
                            + " payments, " + SandboxOptions.usd(cost) + "]");
                }
            }
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
            return result.exitCode();
        }
    }

    private String source() throws IOException {
        if (file != null && code != null) {
            throw new UsageException("Give the code either as an argument or with --file, not both.");
        }
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new UsageException("Cannot read " + file + ".");
            }
            return Files.readString(file);
        }
        if (code == null || code.equals("-")) {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        }
        return code;
    }
}
