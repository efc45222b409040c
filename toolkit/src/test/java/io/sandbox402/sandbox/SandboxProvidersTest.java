package io.sandbox402.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SandboxProvidersTest {

    /** A provider that records what was asked of it. */
    static final class FakeProvider implements SandboxProvider {
        final String name;
        final boolean available;
        final List<String> calls = new ArrayList<>();

        FakeProvider(String name, boolean available) {
            this.name = name;
            this.available = available;
        }

        @Override
        public Sandbox create(SandboxSpec spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isAvailable() {
            calls.add("isAvailable");
            return available;
        }

        @Override
        public String description() {
            return name + ": " + (available ? "ready" : "not installed here");
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void should_name_every_reason_in_one_message_when_no_candidate_is_available() {
        // given
        FakeProvider first = new FakeProvider("first", false);
        FakeProvider second = new FakeProvider("second", false);

        // when / then
        assertThatThrownBy(() -> SandboxProviders.firstAvailable(first, second))
                .isInstanceOf(SandboxException.class)
                .hasMessage("No sandbox available. Tried:\n  * first: not installed here\n  * second: not installed here");
        assertThat(first.calls).containsExactly("isAvailable", "close");
        assertThat(second.calls).containsExactly("isAvailable", "close");
    }

    @Test
    void should_choose_the_first_available_without_asking_those_after_it() {
        // given
        FakeProvider missing = new FakeProvider("missing", false);
        FakeProvider ready = new FakeProvider("ready", true);
        FakeProvider later = new FakeProvider("later", true);

        // when
        SandboxProvider chosen = SandboxProviders.firstAvailable(missing, ready, later);

        // then
        assertThat(chosen).isSameAs(ready);
        assertThat(ready.calls).containsExactly("isAvailable");
        assertThat(later.calls).containsExactly("close"); // handed over, not chosen, never probed
        assertThat(missing.calls).containsExactly("isAvailable", "close");
    }

    @Test
    void should_count_a_throwing_candidate_as_unavailable_and_not_make_those_after_the_chosen() {
        // given
        List<String> made = new ArrayList<>();
        Supplier<SandboxProvider> noWallet = () -> {
            made.add("paid");
            throw new IllegalStateException("paid: no wallet key is set");
        };
        Supplier<SandboxProvider> missing = () -> {
            made.add("missing");
            return new FakeProvider("missing", false);
        };
        Supplier<SandboxProvider> ready = () -> {
            made.add("ready");
            return new FakeProvider("ready", true);
        };
        Supplier<SandboxProvider> later = () -> {
            made.add("later");
            return new FakeProvider("later", true);
        };

        // when
        SandboxProvider chosen = SandboxProviders.firstAvailable(noWallet, missing, ready, later);

        // then
        assertThat(chosen.description()).isEqualTo("ready: ready");
        assertThat(made).containsExactly("paid", "missing", "ready");
    }

    @Test
    void should_list_a_thrown_reason_beside_a_description_when_none_is_available() {
        Supplier<SandboxProvider> noWallet = () -> {
            throw new IllegalStateException("paid: no wallet key is set");
        };
        Supplier<SandboxProvider> missing = () -> new FakeProvider("missing", false);

        assertThatThrownBy(() -> SandboxProviders.firstAvailable(noWallet, missing))
                .isInstanceOf(SandboxException.class)
                .hasMessage("No sandbox available. Tried:\n  * paid: no wallet key is set\n  * missing: not installed here")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    }

    @Test
    void should_refuse_an_empty_list_of_candidates() {
        assertThatThrownBy(() -> SandboxProviders.firstAvailable(new SandboxProvider[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("candidates cannot be null or empty: name at least one provider");
    }
}
