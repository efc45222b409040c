package io.sandbox402.agent.cli;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.SandboxStatus;
import java.time.Duration;

/** A provider whose commands get {@code --timeout} unless they ask for their own. */
final class TimeoutProvider implements SandboxProvider {
    private final SandboxProvider delegate;
    private final Duration timeout;

    TimeoutProvider(SandboxProvider delegate, Duration timeout) {
        this.delegate = delegate;
        this.timeout = timeout;
    }

    @Override
    public Sandbox create(SandboxSpec spec) {
        Sandbox sandbox = delegate.create(spec);
        return new Sandbox() {
            @Override
            public String id() {
                return sandbox.id();
            }

            @Override
            public ExecResult exec(ExecRequest request) {
                return sandbox.exec(request.timeout() == null ? request.withTimeout(timeout) : request);
            }

            @Override
            public SandboxLimits limits() {
                return sandbox.limits(); // the provider's own: BlockRun's are not the local defaults
            }

            @Override
            public SandboxStatus status() {
                return sandbox.status();
            }

            @Override
            public void terminate() {
                sandbox.terminate();
            }
        };
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
