package io.sandbox402.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The CLI as a real process, with a clean environment: only the variables a test gives. */
final class CliProcess {
    record Outcome(int exitCode, String stdout, String stderr) {}

    /** A variable's value that removes it from the child's environment. */
    static final String UNSET = "<unset>";

    private CliProcess() {}

    static ProcessBuilder builder(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_") || name.startsWith("BLOCKRUN_")
                || name.equals("BASE_CHAIN_WALLET_KEY"));
        builder.environment().putAll(env);
        builder.environment().entrySet().removeIf(variable -> variable.getValue() == null || variable.getValue().equals(UNSET));
        return builder;
    }

    static Outcome runWithInput(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        Process process = builder(env, args).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process, true));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, false));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("The CLI did not finish in 120 s: " + List.of(args));
        }
        return new Outcome(process.exitValue(), out.join(), err.join());
    }

    static Outcome run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return runWithInput(env, "", args);
    }

    private static String read(Process process, boolean stdout) {
        try {
            return new String((stdout ? process.getInputStream() : process.getErrorStream()).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
