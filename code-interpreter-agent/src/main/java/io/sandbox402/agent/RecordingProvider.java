package io.sandbox402.agent;

import io.sandbox402.agent.internal.ForwardingSandbox;
import io.sandbox402.agent.internal.ForwardingSandboxProvider;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.PaymentException;

/**
 * The provider as one task sees it: every sandbox or payment failure is told, typed, to the task's
 * {@link TaskSignals} before it reaches the tools (which turn it into text for the model), so the
 * task's outcome is decided from what was thrown, not from what the model was told. Thread-safe.
 */
final class RecordingProvider extends ForwardingSandboxProvider {
    private final TaskSignals signals;

    RecordingProvider(SandboxProvider delegate, TaskSignals signals) {
        super(delegate);
        this.signals = signals;
    }

    @Override
    public Sandbox create(SandboxSpec spec) {
        try {
            return new RecordingSandbox(delegate.create(spec));
        } catch (SandboxException | PaymentException e) {
            signals.failed(e);
            throw e;
        }
    }

    /** The task's sandboxes are terminated by its sessions; the provider stays the caller's. */
    @Override
    public void close() {}

    private final class RecordingSandbox extends ForwardingSandbox {
        RecordingSandbox(Sandbox sandbox) {
            super(sandbox);
        }

        @Override
        public ExecResult exec(ExecRequest request) {
            try {
                return delegate.exec(request);
            } catch (SandboxException | PaymentException e) {
                signals.failed(e);
                throw e;
            }
        }
    }
}
