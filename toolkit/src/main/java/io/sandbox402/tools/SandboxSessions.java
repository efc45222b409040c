package io.sandbox402.tools;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;
import static io.sandbox402.internal.Checks.ensurePositive;

import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.SpendLedger;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The sandboxes of each conversation (LangChain4j's memory id), with the limits a model cannot
 * override: sandboxes per conversation and exec calls per conversation. Closing a conversation, or
 * the whole registry, terminates what it created, so one instance can serve many concurrent
 * conversations and leak nothing. Thread-safe: conversations are independent, each behind its own lock.
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
    private final @Nullable SpendLedger ledger;
    private final boolean statefulPython;
    private final Map<Object, Conversation> conversations = new ConcurrentHashMap<>();

    /**
     * What one sandbox of a conversation became, for reports. Immutable, so thread-safe.
     *
     * @param id the sandbox's id
     * @param terminated whether it ended (terminated, or gone on the provider's side)
     */
    public record SandboxRecord(String id, boolean terminated) {
        /**
         * Checks the id.
         *
         * @param id the sandbox's id, not blank
         * @param terminated whether it ended
         * @throws IllegalArgumentException when {@code id} is null or blank
         */
        public SandboxRecord {
            ensureNotBlank(id, "id");
        }
    }

    private SandboxSessions(Builder builder) {
        if (builder.provider == null) {
            throw new IllegalStateException("SandboxSessions needs a provider: call provider(..).");
        }
        this.provider = builder.provider;
        this.defaultSpec = builder.defaultSpec == null ? SandboxSpec.defaults() : builder.defaultSpec;
        this.maxSandboxes = builder.maxSandboxes;
        this.maxExecs = builder.maxExecs;
        this.ledger = builder.ledger;
        this.statefulPython = builder.statefulPython;
    }

    /** {@return a builder; only the provider is required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return where sandboxes come from} */
    public SandboxProvider provider() {
        return provider;
    }

    /**
     * The conversation's current sandbox, created with the default spec on first use.
     *
     * @param memoryId the conversation (LangChain4j's memory id); null is one default conversation
     * @return the sandbox the conversation's code runs in
     */
    public Sandbox sandbox(@Nullable Object memoryId) {
        return conversation(memoryId).current(defaultSpec, provider::create);
    }

    /**
     * A new sandbox for the conversation, within its limit; it becomes the current one.
     *
     * @param memoryId the conversation (LangChain4j's memory id); null is one default conversation
     * @param spec the new sandbox's spec, not null
     * @return the new sandbox
     */
    public Sandbox create(@Nullable Object memoryId, SandboxSpec spec) {
        ensureNotNull(spec, "spec");
        return conversation(memoryId).create(spec, provider::create);
    }

    /**
     * The conversation's sandbox {@code id}; another conversation's sandboxes are not visible.
     *
     * @param memoryId the conversation (LangChain4j's memory id); null is one default conversation
     * @param id the sandbox's id
     * @return the sandbox
     * @throws IllegalArgumentException when the conversation has no sandbox {@code id}; the message lists those it has
     */
    public Sandbox find(@Nullable Object memoryId, String id) {
        Sandbox sandbox = conversation(memoryId).find(id);
        if (sandbox == null) {
            throw new IllegalArgumentException("Unknown sandbox_id '" + id + "'. Sandboxes of this conversation: "
                    + sandboxes(memoryId).stream().map(SandboxRecord::id).toList() + ". Create one with create_sandbox.");
        }
        return sandbox;
    }

    /**
     * Terminates the conversation's sandbox {@code id}. Idempotent.
     *
     * @param memoryId the conversation (LangChain4j's memory id); null is one default conversation
     * @param id the sandbox's id
     * @throws IllegalArgumentException when the conversation has no sandbox {@code id}
     */
    public void terminate(@Nullable Object memoryId, String id) {
        find(memoryId, id).terminate();
        conversation(memoryId).ended(id);
    }

    /**
     * After a failed run: whether {@code sandbox} is gone (terminated, or timed out on the provider's
     * side), in which case the conversation gets a new one on its next run. Asks the provider once.
     */
    boolean forgetIfGone(@Nullable Object memoryId, Sandbox sandbox) {
        boolean gone;
        try {
            gone = !sandbox.status().isRunning();
        } catch (RuntimeException e) {
            gone = true;
        }
        if (gone) {
            conversation(memoryId).ended(sandbox.id());
        }
        return gone;
    }

    /** Counts one exec against the conversation's limit. */
    void countExec(@Nullable Object memoryId) {
        conversation(memoryId).countExec();
    }

    /**
     * {@return runs left for the conversation}
     *
     * @param memoryId the conversation (LangChain4j's memory id); null is one default conversation
     */
    public int remainingExecs(@Nullable Object memoryId) {
        return conversation(memoryId).remainingExecs();
    }

    /** {@return US dollars committed so far through the ledger, or zero without one} */
    public BigDecimal spent() {
        return ledger == null ? BigDecimal.ZERO : ledger.totalCommitted();
    }

    /** {@return whether python code runs in a stateful session per sandbox ({@link Builder#statefulPython(boolean)})} */
    public boolean statefulPython() {
        return statefulPython;
    }

    boolean paid() {
        return ledger != null;
    }

    /**
     * {@return what each sandbox of the conversation became; empty for a conversation this registry does not know}
     *
     * @param memoryId the conversation (LangChain4j's memory id); null is one default conversation
     */
    public List<SandboxRecord> sandboxes(@Nullable Object memoryId) {
        Conversation conversation = conversations.get(key(memoryId));
        return conversation == null ? List.of() : conversation.records();
    }

    /**
     * Terminates every sandbox of the conversation and forgets it.
     *
     * @param memoryId the conversation (LangChain4j's memory id); null is one default conversation
     * @return what each sandbox became
     * @throws RuntimeException the first failure to terminate one, after trying them all
     */
    public List<SandboxRecord> close(@Nullable Object memoryId) {
        Conversation conversation = conversations.remove(key(memoryId));
        return conversation == null ? List.of() : conversation.terminateAll();
    }

    /** Terminates every sandbox of every conversation. */
    @Override
    public void close() {
        for (Object memoryId : List.copyOf(conversations.keySet())) {
            close(memoryId);
        }
    }

    private Conversation conversation(@Nullable Object memoryId) {
        return conversations.computeIfAbsent(key(memoryId), id -> new Conversation(maxSandboxes, maxExecs));
    }

    /** LangChain4j passes no memory id to a tool of an assistant without chat memory: one conversation. */
    private static Object key(@Nullable Object memoryId) {
        return memoryId == null ? "default" : memoryId;
    }

    /** Options of {@link SandboxSessions}. Not thread-safe: build on one thread. */
    public static final class Builder {
        private @Nullable SandboxProvider provider;
        private @Nullable SandboxSpec defaultSpec;
        private int maxSandboxes = 3;
        private int maxExecs = 50;
        private @Nullable SpendLedger ledger;
        private boolean statefulPython = true;

        private Builder() {}

        /**
         * Where sandboxes come from. Required; the caller closes it.
         *
         * @param provider not null
         * @return this builder
         */
        public Builder provider(SandboxProvider provider) {
            this.provider = ensureNotNull(provider, "provider");
            return this;
        }

        /**
         * The spec of a conversation's first sandbox. Default {@link SandboxSpec#defaults()}.
         *
         * @param spec not null
         * @return this builder
         */
        public Builder defaultSpec(SandboxSpec spec) {
            this.defaultSpec = ensureNotNull(spec, "defaultSpec");
            return this;
        }

        /**
         * Sandboxes one conversation may create. Default 3.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxSandboxesPerConversation(int max) {
            this.maxSandboxes = ensurePositive(max, "maxSandboxesPerConversation");
            return this;
        }

        /**
         * Commands and programs one conversation may run. Default 50.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxExecsPerConversation(int max) {
            this.maxExecs = ensurePositive(max, "maxExecsPerConversation");
            return this;
        }

        /**
         * The ledger of paid calls, so results can report cost and the session's total. Default none.
         *
         * @param ledger the ledger the provider's payments go through, not null
         * @return this builder
         */
        public Builder ledger(SpendLedger ledger) {
            this.ledger = ensureNotNull(ledger, "ledger");
            return this;
        }

        /**
         * Whether {@link CodeInterpreterTools} runs python as the cells of one session per sandbox, so
         * variables, imports and definitions persist between calls as in a notebook ({@code true}, the
         * default), or each call as a fresh process ({@code false}).
         *
         * @param statefulPython {@code true} for one python session per sandbox
         * @return this builder
         */
        public Builder statefulPython(boolean statefulPython) {
            this.statefulPython = statefulPython;
            return this;
        }

        /**
         * {@return the registry}
         *
         * @throws IllegalStateException when no provider was set
         */
        public SandboxSessions build() {
            return new SandboxSessions(this);
        }
    }
}
