package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.x402.Usdc;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run code in one sandbox session, without a model: create, run, print, terminate.",
                "Exits with the program's exit code. Standard input is the code when no CODE or -f is given;",
                "programs get no standard input."})
final class RunCommand implements Callable<Integer> {
    private final Environment env;
    private final InputStream stdin;

    @Spec
    CommandSpec spec;

    @Mixin
    SandboxOptions sandboxOptions;

    @Option(names = {"-l", "--language"}, paramLabel = "LANG",
            description = "python, javascript or bash. Default: from the file's extension or #! line, else python.")
    String language;

    @Option(names = {"-f", "--code-file"}, paramLabel = "FILE", description = "Read the code from FILE (UTF-8).")
    Path codeFile;

    @Option(names = "--file", paramLabel = "PATH", description = "An input file, uploaded to the working directory first (repeatable).")
    List<Path> files;

    @Option(names = "--json", description = "Print stdout, stderr, returncode, cost_usd and the payments as one JSON object, also on failure.")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "CODE", description = "The code; '-' or nothing reads it from standard input.")
    String code;

    RunCommand(Environment env, InputStream stdin) {
        this.env = env;
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SandboxSetup setup = null;
        try {
            String source = source();
            if (source.isBlank()) {
                throw new UsageException("The code is empty; nothing to run (and nothing paid). Give it as an argument,"
                        + " with -f FILE, or on standard input.");
            }
            Language parsed = language(source);
            Map<String, byte[]> inputs = InputFiles.read(files);
            setup = sandboxOptions.open(env);
            SandboxSetup opened = setup;
            try (Interruption interruption = new Interruption(() -> interrupted(opened, out, err))) {
                ExecResult result;
                Sandbox sandbox = setup.provider().create(setup.spec());
                try {
                    inputs.forEach(sandbox::writeFile);
                    result = sandbox.runCode(parsed, source);
                } finally {
                    sandbox.terminate();
                }
                if (interruption.claim()) {
                    report(result, setup, out, err);
                }
                return result.exitCode();
            }
        } catch (RuntimeException e) {
            if (json) {
                ObjectNode node = JsonNodeFactory.instance.objectNode();
                node.put("error", Failures.message(e));
                node.put("exit_code", Failures.exitCode(e));
                if (setup != null) {
                    node.put("sandbox", setup.kind());
                }
                Payments.put(node, setup);
                out.println(node);
                out.flush();
            }
            throw e;
        } finally {
            if (setup != null) {
                setup.close();
            }
        }
    }

    private void report(ExecResult result, SandboxSetup setup, PrintWriter out, PrintWriter err) {
        if (json) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("stdout", result.stdout());
            node.put("stderr", result.stderr());
            node.put("returncode", result.exitCode());
            node.put("timed_out", result.timedOut());
            node.put("duration_seconds", result.duration().toMillis() / 1000.0);
            node.put("sandbox", setup.kind());
            Payments.put(node, setup);
            out.println(node);
            out.flush();
            return;
        }
        out.print(result.stdout());
        out.flush();
        err.print(result.stderr());
        if (setup.paid()) {
            // On its own line: the program's output need not end with one.
            String last = result.stderr().isEmpty() ? result.stdout() : result.stderr();
            if (!last.isEmpty() && !last.endsWith("\n")) {
                err.println();
            }
            var payments = setup.payments();
            err.println("[" + setup.kind() + ": " + Progress.plural(payments.size(), "payment") + ", "
                    + Usdc.format(SandboxSetup.cost(payments)) + "]");
        }
        err.flush();
    }

    private void interrupted(SandboxSetup setup, PrintWriter out, PrintWriter err) {
        Interruption.report(setup, "", "the sandbox was terminated", json ? JsonNodeFactory.instance.objectNode() : null,
                out, err);
    }

    private Language language(String source) {
        try {
            if (language != null) {
                return Language.parse(language);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("--language: " + e.getMessage());
        }
        String first = source.lines().findFirst().orElse("");
        if (first.startsWith("#!")) {
            String interpreter = first.substring(2).strip().replaceFirst("^\\S*/env\\s+", "").split("\\s+")[0];
            interpreter = interpreter.substring(interpreter.lastIndexOf('/') + 1).replaceAll("[0-9.]+$", "");
            switch (interpreter) {
                case "python", "node", "nodejs", "bash", "sh" -> {
                    return Language.parse(interpreter);
                }
                default -> { }
            }
        }
        if (codeFile != null) {
            String name = codeFile.getFileName().toString().toLowerCase(Locale.ROOT);
            String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
            switch (extension) {
                case "py" -> {
                    return Language.PYTHON;
                }
                case "js", "mjs", "cjs" -> {
                    return Language.JAVASCRIPT;
                }
                case "sh", "bash" -> {
                    return Language.BASH;
                }
                default -> { }
            }
        }
        return Language.PYTHON;
    }

    private String source() throws IOException {
        if (codeFile != null && code != null) {
            throw new UsageException("Give the code either as an argument or with -f, not both.");
        }
        if (codeFile != null) {
            if (Files.isDirectory(codeFile)) {
                throw new UsageException("-f " + codeFile + " is a directory; give the file that holds the code.");
            }
            if (!Files.isReadable(codeFile)) {
                throw new UsageException("-f " + codeFile + ": no such readable file.");
            }
            return utf8(Files.readAllBytes(codeFile), "-f " + codeFile);
        }
        if (code == null || code.equals("-")) {
            return utf8(stdin.readAllBytes(), "Standard input");
        }
        if (stdin.available() > 0) {
            throw new UsageException("Standard input has data, but programs get no standard input, and the code is the"
                    + " argument. Upload the data with --file PATH and open it by name, or pipe the code itself.");
        }
        return code;
    }

    private static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UsageException(what + " is not UTF-8 text (" + e.getMessage() + "). Convert it, for instance"
                    + " with iconv -f latin1 -t utf-8.");
        }
    }
}
