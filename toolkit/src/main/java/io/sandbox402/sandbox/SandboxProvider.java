package io.sandbox402.sandbox;

/**
 * Creates sandboxes: isolated machines that run commands and keep their files until terminated.
 *
 * <p>A provider remembers what it created and terminates whatever is still running when it is
 * closed, so a failing caller leaks nothing:
 *
 * <pre>{@code
 * try (SandboxProvider provider = LocalProvider.create();
 *      Sandbox sandbox = provider.create(SandboxSpec.defaults())) {
 *     ExecResult result = sandbox.runCode(Language.PYTHON, "print(2 + 2)");
 *     System.out.println(result.stdout()); // 4
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe: one provider serves many threads and sandboxes at once.
 */
public interface SandboxProvider extends AutoCloseable {

    /**
     * Creates a sandbox and runs the spec's setup commands in it.
     *
     * @param spec what to create; {@link SandboxSpec#defaults()} leaves everything to the provider
     * @return the running sandbox; close it to terminate it
     * @throws SandboxException when the sandbox cannot be created; the message says why and what to do
     */
    Sandbox create(SandboxSpec spec);

    /**
     * {@return what one exec may carry and how long it may run on this provider's sandboxes, and whether it
     * runs setup commands at create} The default is {@link SandboxLimits#local()}. (Not {@code limits()}:
     * {@code LocalProvider} has a package-private method of that name for its prlimit bounds.)
     */
    default SandboxLimits sandboxLimits() {
        return SandboxLimits.local();
    }

    /** {@return whether this provider can create sandboxes here and now (for instance, bubblewrap is installed)} */
    boolean isAvailable();

    /** {@return one line for people: what this provider is, or why it is not available} */
    String description();

    /** Terminates every sandbox this provider created that is still running. Idempotent. */
    @Override
    void close();
}
