package io.sandbox402.agent.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The CLI in this JVM, through {@link Main#run}: only the variables a test gives, standard input as given. */
final class Cli {
    private Cli() {}

    static CliProcess.Outcome run(Map<String, String> env, String... args) {
        return runWithInput(env, "", args);
    }

    static CliProcess.Outcome runWithInput(Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new Environment(env), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliProcess.Outcome(code, out.toString(), err.toString());
    }
}
