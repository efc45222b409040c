package io.sandbox402.tools;

import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What one conversation of {@link SandboxSessions} holds: the sandboxes it created (and which of them
 * ended), its current one, and how many runs it used, within its limits. Thread-safe: one lock per conversation.
 */
final class Conversation {
    private final int maxSandboxes;
    private final int maxExecs;
    private final List<Sandbox> sandboxes = new ArrayList<>();
    private final Set<String> terminated = new HashSet<>();
    private int execs;
    private Sandbox current;

    Conversation(int maxSandboxes, int maxExecs) {
        this.maxSandboxes = maxSandboxes;
        this.maxExecs = maxExecs;
    }

    /** The current sandbox, or a new one from {@code create} when there is none or it ended. */
    synchronized Sandbox current(SandboxSpec spec, Function<SandboxSpec, Sandbox> create) {
        // Known locally: asking the provider would be a paid status call on every run.
        if (current == null || terminated.contains(current.id())) {
            current = create(spec, create);
        }
        return current;
    }

    /** A new sandbox, within the limit; it becomes the current one. */
    synchronized Sandbox create(SandboxSpec spec, Function<SandboxSpec, Sandbox> create) {
        if (sandboxes.size() >= maxSandboxes) {
            throw new ToolLimitException("Sandbox limit reached: this conversation already created " + maxSandboxes
                    + " sandboxes, the most allowed. Reuse one with its sandbox_id, or answer with what you have.");
        }
        Sandbox sandbox = create.apply(spec);
        sandboxes.add(sandbox);
        current = sandbox;
        return sandbox;
    }

    /** The sandbox {@code id} of this conversation, or {@code null}. */
    synchronized Sandbox find(String id) {
        for (Sandbox sandbox : sandboxes) {
            if (sandbox.id().equals(id)) {
                return sandbox;
            }
        }
        return null;
    }

    /** Remembers that the sandbox {@code id} ended, so the next run gets a new one. */
    synchronized void ended(String id) {
        terminated.add(id);
    }

    /** Counts one run against the limit. */
    synchronized void countExec() {
        execs++;
        if (execs > maxExecs) {
            throw new ToolLimitException("Step limit reached: all " + maxExecs + " runs of this conversation are used."
                    + " Do not call tools again; answer now from the output you already have.");
        }
    }

    synchronized int remainingExecs() {
        return Math.max(0, maxExecs - execs);
    }

    synchronized List<SandboxSessions.SandboxRecord> records() {
        return sandboxes.stream()
                .map(sandbox -> new SandboxSessions.SandboxRecord(sandbox.id(), terminated.contains(sandbox.id())))
                .toList();
    }

    /**
     * Terminates every sandbox, each even when one before it fails.
     *
     * @return what each sandbox became
     * @throws RuntimeException the first failure, after trying them all
     */
    synchronized List<SandboxSessions.SandboxRecord> terminateAll() {
        List<SandboxSessions.SandboxRecord> records = new ArrayList<>();
        RuntimeException failure = null;
        for (Sandbox sandbox : sandboxes) {
            try {
                sandbox.terminate();
                terminated.add(sandbox.id());
                records.add(new SandboxSessions.SandboxRecord(sandbox.id(), true));
            } catch (RuntimeException e) {
                records.add(new SandboxSessions.SandboxRecord(sandbox.id(), false));
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return records;
    }
}
