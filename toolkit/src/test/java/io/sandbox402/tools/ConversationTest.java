package io.sandbox402.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.SandboxStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConversationTest {

    /** A sandbox that only counts terminates; terminating the one named "stuck" fails. */
    static final class CountingSandbox implements Sandbox {
        final String id;
        int terminates;

        CountingSandbox(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public ExecResult exec(ExecRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SandboxStatus status() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void terminate() {
            terminates++;
            if (id.equals("stuck")) {
                throw new IllegalStateException("stuck cannot be terminated");
            }
        }
    }

    private final List<CountingSandbox> made = new ArrayList<>();

    private Function<SandboxSpec, Sandbox> maker(String... ids) {
        return spec -> {
            CountingSandbox sandbox = new CountingSandbox(ids[made.size()]);
            made.add(sandbox);
            return sandbox;
        };
    }

    @Test
    void should_refuse_a_sandbox_past_the_limit_when_the_conversation_used_them_all() {
        // given
        Conversation conversation = new Conversation(1, 10);
        conversation.create(SandboxSpec.defaults(), maker("a", "b"));

        // when / then
        assertThatThrownBy(() -> conversation.create(SandboxSpec.defaults(), maker("a", "b")))
                .isInstanceOf(ToolLimitException.class)
                .hasMessage("Sandbox limit reached: this conversation already created 1 sandboxes, the most allowed."
                        + " Reuse one with its sandbox_id, or answer with what you have.");
        assertThat(made).hasSize(1);
    }

    @Test
    void should_make_a_new_current_sandbox_when_the_current_one_ended() {
        // given
        Conversation conversation = new Conversation(3, 10);
        Sandbox first = conversation.current(SandboxSpec.defaults(), maker("a", "b"));
        assertThat(conversation.current(SandboxSpec.defaults(), maker("a", "b"))).isSameAs(first);

        // when
        conversation.ended("a");

        // then
        assertThat(conversation.current(SandboxSpec.defaults(), maker("a", "b")).id()).isEqualTo("b");
        assertThat(conversation.records()).containsExactly(new SandboxSessions.SandboxRecord("a", true),
                new SandboxSessions.SandboxRecord("b", false));
    }

    @Test
    void should_count_runs_and_refuse_the_one_past_the_limit() {
        Conversation conversation = new Conversation(3, 2);
        conversation.countExec();
        conversation.countExec();
        assertThat(conversation.remainingExecs()).isZero();
        assertThatThrownBy(conversation::countExec).isInstanceOf(ToolLimitException.class)
                .hasMessageStartingWith("Step limit reached: all 2 runs of this conversation are used.");
    }

    @Test
    void should_try_every_sandbox_and_throw_the_first_failure_when_one_cannot_be_terminated() {
        // given
        Conversation conversation = new Conversation(3, 10);
        Function<SandboxSpec, Sandbox> maker = maker("stuck", "fine");
        conversation.create(SandboxSpec.defaults(), maker);
        conversation.create(SandboxSpec.defaults(), maker);

        // when / then
        assertThatThrownBy(conversation::terminateAll).hasMessage("stuck cannot be terminated");
        assertThat(made).extracting(sandbox -> sandbox.terminates).containsExactly(1, 1);
    }

    @Test
    void should_keep_the_sandboxes_of_a_conversation_without_memory_id() {
        // given a provider of counting sandboxes
        SandboxProvider provider = new SandboxProvider() {
            @Override
            public Sandbox create(SandboxSpec spec) {
                return maker("x", "y").apply(spec);
            }

            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public String description() {
                return "counting";
            }

            @Override
            public void close() {}
        };
        try (SandboxSessions sessions = SandboxSessions.builder().provider(provider).build()) {
            // when a tool without chat memory (no memory id) asks for a sandbox
            Sandbox sandbox = sessions.sandbox(null);

            // then it is the default conversation's, and closing that conversation terminates it
            assertThat(sessions.sandboxes(null)).containsExactly(new SandboxSessions.SandboxRecord(sandbox.id(), false));
            assertThat(sessions.close(null)).containsExactly(new SandboxSessions.SandboxRecord(sandbox.id(), true));
            assertThat(made.get(0).terminates).isEqualTo(1);
        }
    }
}
