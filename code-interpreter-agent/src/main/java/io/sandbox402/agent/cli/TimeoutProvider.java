package io.sandbox402.agent.cli;

import io.sandbox402.agent.internal.ForwardingSandbox;
import io.sandbox402.agent.internal.ForwardingSandboxProvider;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import java.time.Duration;

/** A provider whose commands get {@code --timeout} unless they ask for their own. Thread-safe when the delegate is. */
final class TimeoutProvider extends ForwardingSandboxProvider {
    private final Duration timeout;

    TimeoutProvider(SandboxProvider delegate, Duration timeout) {
        super(delegate);
        this.timeout = timeout;
    }

    @Override
    public Sandbox create(SandboxSpec spec) {
        return new ForwardingSandbox(delegate.create(spec)) {
            @Override
            public ExecResult exec(ExecRequest request) {
                return delegate.exec(request.timeout() == null ? request.withTimeout(timeout) : request);
            }
        };
    }
}
