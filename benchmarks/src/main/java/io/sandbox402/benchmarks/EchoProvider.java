package io.sandbox402.benchmarks;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.SandboxStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Sandboxes that echo their command at once, so a load run measures HTTP and payments, not processes. */
final class EchoProvider implements SandboxProvider {
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public Sandbox create(SandboxSpec spec) {
        String id = "echo-" + ids.incrementAndGet();
        AtomicBoolean terminated = new AtomicBoolean();
        return new Sandbox() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public ExecResult exec(ExecRequest request) {
                return ExecResult.of(String.join(" ", request.command()) + "\n", "", 0, Duration.ZERO);
            }

            @Override
            public SandboxStatus status() {
                return new SandboxStatus(id, terminated.get() ? SandboxStatus.TERMINATED : SandboxStatus.RUNNING, null);
            }

            @Override
            public void terminate() {
                terminated.set(true);
            }
        };
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String description() {
        return "echo";
    }

    @Override
    public void close() {}
}
