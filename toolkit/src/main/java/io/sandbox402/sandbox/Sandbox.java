package io.sandbox402.sandbox;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One isolated machine. Files and installed packages persist across {@link #exec} calls until
 * {@link #terminate()}; closing a sandbox terminates it.
 *
 * <p>Only {@link #id()}, {@link #exec(ExecRequest)}, {@link #status()} and {@link #terminate()} are
 * provider-specific; files, code and packages are built on {@code exec}, so they work the same on
 * every provider.
 *
 * <p>Implementations are thread-safe: execs, file transfers and terminate may come from several threads at once.
 */
public interface Sandbox extends AutoCloseable {

    /** What {@link #readFile(String)} reads at most: 64 MiB, far more than a model reads, far less than a heap. */
    long DEFAULT_MAX_READ_BYTES = 64L * 1024 * 1024;

    /** How long {@link #install} lets pip run: large wheels (torch) take minutes. */
    Duration INSTALL_TIMEOUT = Duration.ofSeconds(300);

    /** {@return the provider's id for this sandbox, for instance {@code sb-3f9c...}} */
    String id();

    /**
     * Runs a command (an argv, not a shell string) and waits for it. A non-zero exit code or a
     * timeout is a result, not an exception.
     *
     * @param request the command and its timeout, which must be within {@link #limits()}
     * @return the exit code and output of the command
     * @throws SandboxException when the command could not be run at all (unknown or terminated sandbox,
     *     the provider failed)
     */
    ExecResult exec(ExecRequest request);

    /**
     * {@return what one exec may carry and how long it may run here} The default is {@link
     * SandboxLimits#local()}; a provider with tighter limits (BlockRun) overrides it.
     */
    default SandboxLimits limits() {
        return SandboxLimits.local();
    }

    /**
     * Starts {@code request} in the background and returns at once; {@link BackgroundCommand#await} polls
     * it with short execs, each within {@link #limits()}. The request's timeout, which may exceed the
     * exec limit, bounds the command itself: it is stopped in the sandbox when it passes. The process
     * survives the exec that started it, as on Modal.
     *
     * <pre>{@code
     * BackgroundCommand training = sandbox.start(ExecRequest.shell("python3 train.py").withTimeout(Duration.ofMinutes(10)));
     * ExecResult result = training.await(Duration.ofMinutes(11));
     * System.out.println(result.stdout() + " after " + training.polls() + " paid polls");
     * }</pre>
     *
     * @param request the command; its timeout, if any, bounds the whole background run
     * @return a handle to poll, await or stop the command
     * @throws SandboxException when the command could not be started
     */
    default BackgroundCommand start(ExecRequest request) {
        return BackgroundCommand.start(this, request);
    }

    /**
     * Runs {@code request} however long its timeout: as one exec when the timeout fits the provider's
     * exec limit, else in the background ({@link #start}) and polled until it ends or its timeout passes.
     *
     * @param request the command; its timeout may exceed {@link SandboxLimits#maxExecTimeout()}
     * @return the exit code and output of the command
     */
    default ExecResult run(ExecRequest request) {
        if (request.timeout() == null || request.timeout().compareTo(limits().maxExecTimeout()) <= 0) {
            return exec(request);
        }
        return start(request).await(request.timeout().plus(BackgroundCommand.AWAIT_MARGIN));
    }

    /** {@return the sandbox's state as the provider reports it} */
    SandboxStatus status();

    /** Terminates the sandbox and frees what it holds. Idempotent: a second call does nothing. */
    void terminate();

    @Override
    default void close() {
        terminate();
    }

    /**
     * Runs {@code argv} with the provider's default timeout.
     *
     * @param argv the program and its arguments, not a shell string
     * @return the exit code and output of the command
     */
    default ExecResult exec(String... argv) {
        return exec(ExecRequest.of(argv));
    }

    /**
     * Writes {@code content} to {@code path} inside the sandbox, creating parent directories.
     *
     * @param path the file inside the sandbox, absolute or relative to its working directory; not blank
     * @param content the bytes to write, replacing any earlier content; split into execs that fit {@link #limits()}
     * @throws SandboxException when the file cannot be written (a read-only directory, a full disk)
     */
    default void writeFile(String path, byte[] content) {
        SandboxFiles.write(this, path, content);
    }

    /**
     * Reads the file at {@code path} inside the sandbox, at most {@link #DEFAULT_MAX_READ_BYTES} bytes.
     *
     * @param path the file inside the sandbox, absolute or relative to its working directory; not blank
     * @return the file's bytes
     * @throws SandboxException when the file does not exist, cannot be read or is larger than the cap
     */
    default byte[] readFile(String path) {
        return readFile(path, DEFAULT_MAX_READ_BYTES);
    }

    /**
     * Reads the file at {@code path} inside the sandbox, in chunks that fit the provider's output cap.
     * The size the sandbox reports is not trusted: a file larger than {@code maxBytes}, whatever it
     * claims, fails before more than {@code maxBytes} are held in memory.
     *
     * @param path the file inside the sandbox, absolute or relative to its working directory; not blank
     * @param maxBytes the most bytes to read
     * @return the file's bytes
     * @throws SandboxException when the file does not exist, cannot be read or holds more than {@code maxBytes}
     */
    default byte[] readFile(String path, long maxBytes) {
        return SandboxFiles.read(this, path, maxBytes);
    }

    /**
     * Runs {@code code} as a program in {@code language} with the provider's default timeout; what it prints is the result's stdout.
     *
     * @param language the interpreter to run it with
     * @param code the program's source
     * @return the exit code and output of the program
     */
    default ExecResult runCode(Language language, String code) {
        return SandboxFiles.runCode(this, language, code, null);
    }

    /**
     * Runs {@code code} as a program in {@code language} for at most {@code timeout}, which may exceed the
     * provider's exec limit: a longer program runs in the background ({@link #start}).
     *
     * @param language the interpreter to run it with
     * @param code the program's source
     * @param timeout how long the program may run, or {@code null} for the provider's default
     * @return the exit code and output of the program
     */
    default ExecResult runCode(Language language, String code, @Nullable Duration timeout) {
        return SandboxFiles.runCode(this, language, code, timeout);
    }

    /**
     * Installs Python packages with pip, for up to {@link #INSTALL_TIMEOUT}, in the background where execs are shorter.
     *
     * @param packages pip requirements such as {@code numpy} or {@code pandas==2.2.3}; not empty
     * @return pip's exit code and output; a failed install is a result, not an exception
     */
    default ExecResult install(List<String> packages) {
        return SandboxFiles.install(this, packages);
    }
}
