package io.sandbox402.agent;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.SandboxStatus;
import io.sandbox402.x402.PaymentException;
import io.sandbox402.x402.PaymentRefusedException;
import java.util.function.Consumer;

/**
 * The provider as one task sees it: every sandbox or payment failure is recorded, typed, before it
 * reaches the tools (which turn it into text for the model), so the task's outcome is decided from
 * what was thrown, not from what the model was told.
 */
final class RecordingProvider implements SandboxProvider {
    private final SandboxProvider delegate;
    private volatile RuntimeException firstFailure;
    private volatile PaymentRefusedException refusal;
    private volatile Consumer<RuntimeException> onFailure = e -> {};

    RecordingProvider(SandboxProvider delegate) {
        this.delegate = delegate;
    }

    /** Sees each failure as it happens, on the failing thread. */
    void onFailure(Consumer<RuntimeException> onFailure) {
        this.onFailure = onFailure;
    }

    /** The first payment the policy refused, or {@code null}. */
    PaymentRefusedException refusal() {
        return refusal;
    }

    /** The first sandbox or payment failure, or {@code null}. */
    RuntimeException failure() {
        return firstFailure;
    }

    private <T extends RuntimeException> T record(T e) {
        if (e instanceof PaymentRefusedException refused && refusal == null) {
            refusal = refused;
        }
        if (firstFailure == null) {
            firstFailure = e;
        }
        onFailure.accept(e);
        return e;
    }

    @Override
    public Sandbox create(SandboxSpec spec) {
        try {
            return new RecordingSandbox(delegate.create(spec));
        } catch (SandboxException | PaymentException e) {
            throw record(e);
        }
    }

    @Override
    public boolean isAvailable() {
        return delegate.isAvailable();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    /** The task's sandboxes are terminated by its sessions; the provider stays the caller's. */
    @Override
    public void close() {}

    private final class RecordingSandbox implements Sandbox {
        private final Sandbox sandbox;

        RecordingSandbox(Sandbox sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public String id() {
            return sandbox.id();
        }

        @Override
        public ExecResult exec(ExecRequest request) {
            try {
                return sandbox.exec(request);
            } catch (SandboxException | PaymentException e) {
                throw record(e);
            }
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
    }
}
