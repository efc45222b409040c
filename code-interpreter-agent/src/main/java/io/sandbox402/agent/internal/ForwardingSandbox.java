package io.sandbox402.agent.internal;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.sandbox.SandboxStatus;

/**
 * A sandbox that passes its own operations to another, for wrappers that change one of them. Only
 * what a sandbox itself implements is forwarded (its id, exec, limits, status, terminate): the
 * interface's default methods (files, code, background commands) stay defaults, so they call this
 * wrapper's {@link #exec} and go through whatever it changes. Not API.
 *
 * <p>Thread-safe when the delegate is: it holds no state of its own.
 */
public abstract class ForwardingSandbox implements Sandbox {
    /** The sandbox every call goes to. */
    protected final Sandbox delegate;

    /** @param delegate the sandbox every call goes to */
    protected ForwardingSandbox(Sandbox delegate) {
        this.delegate = delegate;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        return delegate.exec(request);
    }

    @Override
    public SandboxLimits limits() {
        return delegate.limits(); // the provider's own: BlockRun's are not the local defaults
    }

    @Override
    public SandboxStatus status() {
        return delegate.status();
    }

    @Override
    public void terminate() {
        delegate.terminate();
    }
}
