package io.sandbox402.sandbox.blockrun;

/** BlockRun does not know the sandbox: it was terminated, timed out or never existed. */
public class SandboxNotFoundException extends BlockRunException {
    public SandboxNotFoundException(String message) {
        super(404, message);
    }
}
