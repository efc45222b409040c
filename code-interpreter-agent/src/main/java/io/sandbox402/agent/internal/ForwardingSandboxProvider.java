package io.sandbox402.agent.internal;

import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;

/**
 * A provider that passes every call to another, for wrappers that change one thing (record failures,
 * add a timeout): a subclass overrides {@link #create} or {@link #close} and inherits the rest, so a
 * method added to the wrapped provider's answers (its limits) is never lost on the way. Not API.
 *
 * <p>Thread-safe when the delegate is: it holds no state of its own.
 */
public abstract class ForwardingSandboxProvider implements SandboxProvider {
    /** The provider every call goes to. */
    protected final SandboxProvider delegate;

    /** @param delegate the provider every call goes to */
    protected ForwardingSandboxProvider(SandboxProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public Sandbox create(SandboxSpec spec) {
        return delegate.create(spec);
    }

    @Override
    public SandboxLimits sandboxLimits() {
        return delegate.sandboxLimits(); // the provider's own: BlockRun's are not the local defaults
    }

    @Override
    public boolean isAvailable() {
        return delegate.isAvailable();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
