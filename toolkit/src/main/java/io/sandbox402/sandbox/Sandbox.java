package io.sandbox402.sandbox;

import java.util.List;

/**
 * One isolated machine. Files and installed packages persist across {@link #exec} calls until
 * {@link #terminate()}; closing a sandbox terminates it.
 *
 * <p>Only {@link #id()}, {@link #exec(ExecRequest)}, {@link #status()} and {@link #terminate()} are
 * provider-specific; files, code and packages are built on {@code exec}, so they work the same on
 * every provider.
 */
public interface Sandbox extends AutoCloseable {

    /** The provider's id for this sandbox, for instance {@code sb-3f9c...}. */
    String id();

    /**
     * Runs a command (an argv, not a shell string) and waits for it. A non-zero exit code or a
     * timeout is a result, not an exception.
     *
     * @throws SandboxException when the command could not be run at all (unknown or terminated sandbox,
     *     the provider failed)
     */
    ExecResult exec(ExecRequest request);

    /** The sandbox's state as the provider reports it. */
    SandboxStatus status();

    /** Terminates the sandbox and frees what it holds. Idempotent: a second call does nothing. */
    void terminate();

    @Override
    default void close() {
        terminate();
    }

    /** Runs {@code argv} with the provider's default timeout. */
    default ExecResult exec(String... argv) {
        return exec(ExecRequest.of(argv));
    }

    /**
     * Writes {@code content} to {@code path} inside the sandbox, creating parent directories.
     *
     * @throws SandboxException when the file cannot be written (a read-only directory, a full disk)
     */
    default void writeFile(String path, byte[] content) {
        SandboxFiles.write(this, path, content);
    }

    /**
     * Reads the file at {@code path} inside the sandbox, in chunks that fit the provider's output cap.
     *
     * @throws SandboxException when the file does not exist or cannot be read
     */
    default byte[] readFile(String path) {
        return SandboxFiles.read(this, path);
    }

    /** Runs {@code code} as a program in {@code language}; what it prints is the result's stdout. */
    default ExecResult runCode(Language language, String code) {
        return SandboxFiles.runCode(this, language, code);
    }

    /** Installs Python packages with pip. */
    default ExecResult install(List<String> packages) {
        return SandboxFiles.install(this, packages);
    }
}
