package io.sandbox402.agent.cli;

import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.x402.PaymentException;
import io.sandbox402.x402.PaymentRefusedException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar code-interpreter.jar [ask|run|emulator|doctor] ...}: the code interpreter's CLI.
 * Exit codes: 0 success, 1 the task or program failed, 2 usage or configuration error, 3 payment
 * refused by the policy ({@code run} exits with the program's own exit code).
 */
@Command(name = "code-interpreter", mixinStandardHelpOptions = true, version = "sandbox402 code-interpreter 0.1.0",
        description = {"An LLM writes code, runs it in a sandbox paid per call (or a free local one), and answers.",
                "Commands: ask (the default), run, emulator, doctor."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the task or program failed", "2:usage or configuration error",
                "3:payment refused by the policy"})
public final class Main implements Runnable {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_PAYMENT_REFUSED = 3;
    private static final Set<String> COMMANDS = Set.of("ask", "run", "eval", "emulator", "doctor", "help", "-h", "--help", "-V", "--version");

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, Environment.system(), System.in, out, err));
    }

    /** Runs the CLI and returns its exit code; only {@link #main} exits the JVM. */
    static int run(String[] args, Environment env, InputStream stdin, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new Main())
                .addSubcommand(new CommandLine(new AskCommand(env)))
                .addSubcommand(new CommandLine(new RunCommand(env, stdin)))
                .addSubcommand(new CommandLine(new EvalCommand(env)))
                .addSubcommand(new CommandLine(new EmulatorCommand()))
                .addSubcommand(new CommandLine(new DoctorCommand(env)))
                .addSubcommand(new CommandLine.HelpCommand());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExitCodeExceptionMapper(Main::exitCode);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + message(e));
            commandLine.getErr().flush();
            return exitCode(e);
        });
        return cmd.execute(withDefaultCommand(args));
    }

    /** {@code code-interpreter "TASK"} means {@code code-interpreter ask "TASK"}. */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0 || COMMANDS.contains(args[0])) {
            return args;
        }
        List<String> withAsk = new ArrayList<>(List.of("ask"));
        withAsk.addAll(List.of(args));
        return withAsk.toArray(String[]::new);
    }

    static int exitCode(Throwable e) {
        if (e instanceof PaymentRefusedException) {
            return EXIT_PAYMENT_REFUSED;
        }
        if (e instanceof UsageException || e instanceof CommandLine.ParameterException) {
            return EXIT_USAGE;
        }
        return EXIT_FAILED;
    }

    private static String message(Throwable e) {
        if (e instanceof PaymentException || e instanceof SandboxException || e instanceof UsageException
                || e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        return e.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
