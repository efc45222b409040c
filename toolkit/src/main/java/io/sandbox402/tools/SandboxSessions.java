package io.sandbox402.tools;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.SpendLedger;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandboxes of each conversation (LangChain4j's memory id), with the limits a model cannot
 * override: sandboxes per conversation and exec calls per conversation. Closing a conversation, or
 * the whole registry, terminates what it created, so one instance can serve many concurrent
 * conversations and leak nothing.
 *
 * <pre>{@code
 * try (SandboxSessions sessions = SandboxSessions.builder().provider(provider).build()) {
 *     Assistant assistant = AiServices.builder(Assistant.class)
 *             .chatModel(model)
 *             .tools(new CodeInterpreterTools(sessions))
 *             .build();
 *     ...
 *     sessions.close(conversationId);   // when a conversation ends
 * }
 * }</pre>
 */
public final class SandboxSessions implements AutoCloseable {
    private final SandboxProvider provider;
    private final SandboxSpec defaultSpec;
    private final int maxSandboxes;
    private final int maxExecs;
    private final SpendLedger ledger;
    private final boolean statefulPython;
    private final Map<Object, Conversation> conversations = new ConcurrentHashMap<>();

    /** What one sandbox of a conversation became, for reports. */
    public record SandboxRecord(String id, boolean terminated) {}

    private static final class Conversation {
        final List<Sandbox> sandboxes = new ArrayList<>();
        final java.util.Set<String> terminated = new java.util.HashSet<>();
        final AtomicInteger execs = new AtomicInteger();
        Sandbox current;
    }

    private SandboxSessions(Builder builder) {
        this.provider = ensureNotNull(builder.provider, "provider");
        this.defaultSpec = builder.defaultSpec == null ? SandboxSpec.defaults() : builder.defaultSpec;
        this.maxSandboxes = builder.maxSandboxes;
        this.maxExecs = builder.maxExecs;
        this.ledger = builder.ledger;
        this.statefulPython = builder.statefulPython;
    }

    public static Builder builder() {
        return new Builder();
    }

    public SandboxProvider provider() {
        return provider;
    }

    /** The conversation's current sandbox, created with the default spec on first use. */
    public Sandbox sandbox(Object memoryId) {
        Conversation conversation = conversation(memoryId);
        synchronized (conversation) {
            // Known locally: asking the provider would be a paid status call on every run.
            if (conversation.current == null || conversation.terminated.contains(conversation.current.id())) {
                conversation.current = createLocked(conversation, defaultSpec);
            }
            return conversation.current;
        }
    }

    /** A new sandbox for the conversation, within its limit; it becomes the current one. */
    public Sandbox create(Object memoryId, SandboxSpec spec) {
        Conversation conversation = conversation(memoryId);
        synchronized (conversation) {
            conversation.current = createLocked(conversation, spec);
            return conversation.current;
        }
    }

    private Sandbox createLocked(Conversation conversation, SandboxSpec spec) {
        if (conversation.sandboxes.size() >= maxSandboxes) {
            throw new ToolLimitException("Sandbox limit reached: this conversation already created " + maxSandboxes
                    + " sandboxes, the most allowed. Reuse one with its sandbox_id, or answer with what you have.");
        }
        Sandbox sandbox = provider.create(spec);
        conversation.sandboxes.add(sandbox);
        return sandbox;
    }

    /** The conversation's sandbox {@code id}; another conversation's sandboxes are not visible. */
    public Sandbox find(Object memoryId, String id) {
        Conversation conversation = conversation(memoryId);
        synchronized (conversation) {
            for (Sandbox sandbox : conversation.sandboxes) {
                if (sandbox.id().equals(id)) {
                    return sandbox;
                }
            }
        }
        throw new IllegalArgumentException("Unknown sandbox_id '" + id + "'. Sandboxes of this conversation: "
                + sandboxes(memoryId).stream().map(SandboxRecord::id).toList() + ". Create one with create_sandbox.");
    }

    /** Terminates the conversation's sandbox {@code id}. Idempotent. */
    public void terminate(Object memoryId, String id) {
        Sandbox sandbox = find(memoryId, id);
        sandbox.terminate();
        Conversation conversation = conversation(memoryId);
        synchronized (conversation) {
            conversation.terminated.add(id);
        }
    }

    /**
     * After a failed run: whether {@code sandbox} is gone (terminated, or timed out on the provider's
     * side), in which case the conversation gets a new one on its next run. Asks the provider once.
     */
    boolean forgetIfGone(Object memoryId, Sandbox sandbox) {
        boolean gone;
        try {
            gone = !sandbox.status().isRunning();
        } catch (RuntimeException e) {
            gone = true;
        }
        if (gone) {
            Conversation conversation = conversation(memoryId);
            synchronized (conversation) {
                conversation.terminated.add(sandbox.id());
            }
        }
        return gone;
    }

    /** Counts one exec against the conversation's limit. */
    void countExec(Object memoryId) {
        int used = conversation(memoryId).execs.incrementAndGet();
        if (used > maxExecs) {
            throw new ToolLimitException("Step limit reached: all " + maxExecs + " runs of this conversation are used."
                    + " Do not call tools again; answer now from the output you already have.");
        }
    }

    /** Runs left for the conversation. */
    public int remainingExecs(Object memoryId) {
        return Math.max(0, maxExecs - conversation(memoryId).execs.get());
    }

    /** US dollars committed so far through the ledger, or zero without one. */
    public BigDecimal spent() {
        return ledger == null ? BigDecimal.ZERO : ledger.totalCommitted();
    }

    /** Whether python code runs in a stateful session per sandbox ({@link Builder#statefulPython(boolean)}). */
    public boolean statefulPython() {
        return statefulPython;
    }

    boolean paid() {
        return ledger != null;
    }

    public List<SandboxRecord> sandboxes(Object memoryId) {
        Conversation conversation = conversations.get(memoryId);
        if (conversation == null) {
            return List.of();
        }
        synchronized (conversation) {
            return conversation.sandboxes.stream()
                    .map(sandbox -> new SandboxRecord(sandbox.id(), conversation.terminated.contains(sandbox.id())))
                    .toList();
        }
    }

    /**
     * Terminates every sandbox of the conversation and forgets it.
     *
     * @return what each sandbox became
     */
    public List<SandboxRecord> close(Object memoryId) {
        Conversation conversation = conversations.remove(memoryId);
        if (conversation == null) {
            return List.of();
        }
        List<SandboxRecord> records = new ArrayList<>();
        RuntimeException failure = null;
        synchronized (conversation) {
            for (Sandbox sandbox : conversation.sandboxes) {
                try {
                    sandbox.terminate();
                    records.add(new SandboxRecord(sandbox.id(), true));
                } catch (RuntimeException e) {
                    records.add(new SandboxRecord(sandbox.id(), false));
                    failure = failure == null ? e : failure;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return records;
    }

    /** Terminates every sandbox of every conversation. */
    @Override
    public void close() {
        for (Object memoryId : List.copyOf(conversations.keySet())) {
            close(memoryId);
        }
    }

    private Conversation conversation(Object memoryId) {
        return conversations.computeIfAbsent(memoryId == null ? "default" : memoryId, id -> new Conversation());
    }

    public static final class Builder {
        private SandboxProvider provider;
        private SandboxSpec defaultSpec;
        private int maxSandboxes = 3;
        private int maxExecs = 50;
        private SpendLedger ledger;
        private boolean statefulPython = true;

        private Builder() {}

        /** Where sandboxes come from. Required. */
        public Builder provider(SandboxProvider provider) {
            this.provider = ensureNotNull(provider, "provider");
            return this;
        }

        /** The spec of a conversation's first sandbox. Default {@link SandboxSpec#defaults()}. */
        public Builder defaultSpec(SandboxSpec spec) {
            this.defaultSpec = ensureNotNull(spec, "spec");
            return this;
        }

        /** Sandboxes one conversation may create. Default 3. */
        public Builder maxSandboxesPerConversation(int max) {
            this.maxSandboxes = positive(max);
            return this;
        }

        /** Commands and programs one conversation may run. Default 50. */
        public Builder maxExecsPerConversation(int max) {
            this.maxExecs = positive(max);
            return this;
        }

        /** The ledger of paid calls, so results can report cost and the session's total. */
        public Builder ledger(SpendLedger ledger) {
            this.ledger = ensureNotNull(ledger, "ledger");
            return this;
        }

        /**
         * Whether {@link CodeInterpreterTools} runs python as the cells of one session per sandbox, so
         * variables, imports and definitions persist between calls as in a notebook ({@code true}, the
         * default), or each call as a fresh process ({@code false}).
         */
        public Builder statefulPython(boolean statefulPython) {
            this.statefulPython = statefulPython;
            return this;
        }

        public SandboxSessions build() {
            return new SandboxSessions(this);
        }

        private static int positive(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("the limit must be positive, was " + value);
            }
            return value;
        }
    }
}
