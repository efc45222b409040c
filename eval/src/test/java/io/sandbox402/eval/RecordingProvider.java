package io.sandbox402.eval;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.SandboxStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider in front of another that records every exec's shape (for BlockRun's limits) and, when
 * asked, kills each sandbox after a number of execs, as a crashed machine would.
 */
final class RecordingProvider implements SandboxProvider {
    private final SandboxProvider delegate;
    private final int killAfterExecs;
    final List<ExecRequest> execs = new CopyOnWriteArrayList<>();
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger killed = new AtomicInteger();

    RecordingProvider(SandboxProvider delegate, int killAfterExecs) {
        this.delegate = delegate;
        this.killAfterExecs = killAfterExecs;
    }

    @Override
    public Sandbox create(SandboxSpec spec) {
        created.incrementAndGet();
        Sandbox sandbox = delegate.create(spec);
        AtomicInteger count = new AtomicInteger();
        return new Sandbox() {
            @Override
            public String id() {
                return sandbox.id();
            }

            @Override
            public ExecResult exec(ExecRequest request) {
                execs.add(request);
                if (killAfterExecs > 0 && count.incrementAndGet() > killAfterExecs) {
                    killed.incrementAndGet();
                    sandbox.terminate();
                    throw new SandboxException("Sandbox " + sandbox.id() + " died");
                }
                return sandbox.exec(request);
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

    int maxSegments() {
        return execs.stream().mapToInt(e -> e.command().size()).max().orElse(0);
    }

    int maxSegmentChars() {
        return execs.stream().flatMap(e -> e.command().stream()).mapToInt(String::length).max().orElse(0);
    }

    Duration maxTimeout() {
        return execs.stream().map(ExecRequest::timeout).filter(t -> t != null).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    @Override
    public boolean isAvailable() {
        return delegate.isAvailable();
    }

    @Override
    public String description() {
        return "recording " + delegate.description();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
