package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar code-interpreter.jar [ask|run|chat|emulator|doctor] ...}: the code interpreter's CLI.
 * Exit codes: 0 success, 1 the task or program failed, 2 usage or configuration error, 3 payment
 * refused by the policy ({@code run} exits with the program's own exit code).
 *
 * <p>Output is UTF-8 whatever the locale: program output passes through byte for byte, and JSON is
 * always UTF-8.
 *
 * <p>Thread-safety: each {@code run} builds its own command line with its own streams, but what a
 * command installs for Ctrl-C (shutdown hooks, the SIGINT handler) is the process's, so run one
 * command at a time in a JVM.
 */
@Command(name = "code-interpreter", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = {"An LLM writes code, runs it in a sandbox paid per call (or a free local one), and answers.",
                "A task that is not after 'ask' goes in quotes: code-interpreter \"What is 2**100?\"",
                "--verbose (any command) shows the libraries' logs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the task or program failed", "2:usage or configuration error",
                "3:payment refused by the policy"})
public final class Main implements Runnable {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_PAYMENT_REFUSED = 3;
    static final List<String> COMMANDS = List.of("ask", "run", "chat", "eval", "emulator", "doctor", "help");
    private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    @Spec
    CommandSpec spec;

    /**
     * Runs one command with UTF-8 standard streams and exits the JVM with its exit code.
     *
     * @param args the command and its options; a quoted task without a command means {@code ask}
     */
    public static void main(String[] args) {
        quietLogs(List.of(args).contains("--verbose"));
        // The platform's encoding may be ASCII (no locale): bytes that are not would print as '?'.
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setOut(stdout);
        System.setErr(stderr);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        System.exit(run(utf8Arguments(args), Environment.system(), System.in, out, err));
    }

    /**
     * The arguments as UTF-8. Without a locale the JVM decodes them as ASCII, so 'café' arrives as
     * 'caf??'; on Linux the bytes the shell passed are still in /proc/self/cmdline.
     */
    static String[] utf8Arguments(String[] args) {
        if (StandardCharsets.UTF_8.name().equalsIgnoreCase(System.getProperty("sun.jnu.encoding", "UTF-8"))) {
            return args;
        }
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/cmdline"));
            List<String> all = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    all.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (all.size() < args.length) {
                return args;
            }
            List<String> tail = all.subList(all.size() - args.length, all.size());
            for (int i = 0; i < args.length; i++) {
                if (tail.get(i).length() != args[i].length() && args[i].chars().allMatch(c -> c < 128 && c != '?')) {
                    return args; // not the same arguments: keep what the JVM gave
                }
            }
            return tail.toArray(String[]::new);
        } catch (java.io.IOException | RuntimeException e) {
            return args;
        }
    }

    /** Libraries log through SLF4J; their logs are for {@code --verbose}, not for every run. */
    static void quietLogs(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "off");
    }

    /** Runs the CLI and returns its exit code; only {@link #main} exits the JVM. */
    static int run(String[] args, Environment env, InputStream stdin, PrintWriter out, PrintWriter err) {
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.remove("--verbose");
        CommandLine cmd = new CommandLine(new Main())
                .addSubcommand(new CommandLine(new AskCommand(env)))
                .addSubcommand(new CommandLine(new RunCommand(env, stdin)))
                .addSubcommand(new CommandLine(new EvalCommand(env)))
                .addSubcommand(new CommandLine(new EmulatorCommand()))
                .addSubcommand(new CommandLine(new DoctorCommand(env)))
                .addSubcommand(new CommandLine(new ChatCommand(env, stdin)))
                .addSubcommand(new CommandLine.HelpCommand());
        for (CommandLine sub : cmd.getSubcommands().values()) {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand) && !sub.getCommandSpec().mixinStandardHelpOptions()) {
                sub.getCommandSpec().mixinStandardHelpOptions(true);
            }
        }
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExitCodeExceptionMapper(Failures::exitCode);
        cmd.setParameterExceptionHandler((e, arguments1) -> {
            String message = e.getMessage() + hint(arguments, e);
            if (arguments.contains("--json")) {
                ObjectNode json = JsonNodeFactory.instance.objectNode();
                json.put("error", message);
                json.put("exit_code", EXIT_USAGE);
                out.println(json);
                out.flush();
            }
            err.println("error: " + message);
            if (!(e instanceof CommandLine.UnmatchedArgumentException) || !message.contains("quote")) {
                err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            }
            err.flush();
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + Failures.message(e));
            commandLine.getErr().flush();
            return Failures.exitCode(e);
        });
        String[] withCommand;
        try {
            withCommand = withDefaultCommand(arguments);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        return cmd.execute(withCommand);
    }

    /**
     * {@code code-interpreter "TASK"} means {@code code-interpreter ask "TASK"}. The first word alone
     * must be a command (so a typo is not sent to the model as a task); a task given without
     * {@code ask} is one quoted argument, or starts after options.
     */
    static String[] withDefaultCommand(List<String> args) {
        if (args.isEmpty() || COMMANDS.contains(args.get(0)) || TOP_LEVEL_OPTIONS.contains(args.get(0))) {
            return args.toArray(String[]::new);
        }
        String first = args.get(0);
        if (!first.startsWith("-") && !first.strip().contains(" ")) {
            String closest = closest(first);
            throw new UsageException("Unknown command '" + first + "'." + (closest == null ? "" : " Did you mean '" + closest + "'?")
                    + " Commands: " + String.join(", ", COMMANDS) + ". A task goes in quotes: code-interpreter \"" + first
                    + " ...\", or after ask: code-interpreter ask " + first + ".");
        }
        List<String> withAsk = new ArrayList<>(List.of("ask"));
        withAsk.addAll(args);
        return withAsk.toArray(String[]::new);
    }

    private static String hint(List<String> args, CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !args.isEmpty() && COMMANDS.contains(args.get(0))
                && !args.get(0).equals("ask") && unmatched.getUnmatched().stream().noneMatch(arg -> arg.startsWith("-"))) {
            return ". To ask a task that starts with '" + args.get(0) + "', quote it: code-interpreter \""
                    + String.join(" ", args) + "\"";
        }
        return "";
    }

    /** The command {@code word} is a typo of (at most two edits), or {@code null}. */
    static String closest(String word) {
        return COMMANDS.stream()
                .map(command -> new Object() {
                    final String name = command;
                    final int distance = distance(word.toLowerCase(java.util.Locale.ROOT), command);
                })
                .filter(candidate -> candidate.distance <= 2)
                .min(Comparator.comparingInt(candidate -> candidate.distance))
                .map(candidate -> candidate.name)
                .orElse(null);
    }

    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    static int exitCode(Throwable e) {
        return Failures.exitCode(e);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
