package io.sandbox402.sandbox;

import static io.sandbox402.internal.Checks.ensureNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Chooses a provider: the first of several candidates that is available here, as Testcontainers picks the
 * first Docker strategy that works. When none is, one {@link SandboxException} lists why each failed:
 *
 * <pre>{@code
 * try (SandboxProvider provider = SandboxProviders.firstAvailable(BlockRunProvider::fromEnvironment, LocalProvider::create)) {
 *     ...
 * }
 * // No sandbox available. Tried:
 * //   * BlockRunProvider needs a wallet: BLOCKRUN_WALLET_KEY is not set. ...
 * //   * local: bubblewrap (bwrap) not found on PATH; ...
 * }</pre>
 *
 * <p>Thread-safe: it holds no state.
 */
public final class SandboxProviders {
    private SandboxProviders() {}

    /**
     * The first candidate whose {@link SandboxProvider#isAvailable()} is true; those after it are not asked. It
     * takes the candidates over: every one it does not return is closed.
     *
     * @param candidates providers in order of preference, at least one
     * @return the chosen provider, now the caller's to close
     * @throws SandboxException when none is available, listing each candidate's {@link SandboxProvider#description()}
     * @throws IllegalArgumentException when there is no candidate or one is null
     */
    public static SandboxProvider firstAvailable(SandboxProvider... candidates) {
        checkCandidates(candidates);
        List<String> reasons = new ArrayList<>();
        SandboxProvider chosen = null;
        for (SandboxProvider candidate : candidates) {
            if (chosen == null && candidate.isAvailable()) {
                chosen = candidate;
            } else {
                if (chosen == null) {
                    reasons.add(candidate.description());
                }
                candidate.close();
            }
        }
        if (chosen == null) {
            throw none(reasons, List.of());
        }
        return chosen;
    }

    /**
     * The first available provider the candidates make, in order; those after it are not made. A candidate
     * that throws counts as unavailable for the reason its exception gives ({@code BlockRunProvider::fromEnvironment}
     * without a wallet key); an unavailable provider is closed.
     *
     * @param candidates factories of providers in order of preference, at least one
     * @return the chosen provider, now the caller's to close
     * @throws SandboxException when none is available, listing each candidate's reason
     * @throws IllegalArgumentException when there is no candidate or one is null
     */
    @SafeVarargs
    public static SandboxProvider firstAvailable(Supplier<? extends SandboxProvider>... candidates) {
        checkCandidates(candidates);
        return choose(List.of(candidates));
    }

    private static void checkCandidates(Object[] candidates) {
        if (candidates == null || candidates.length == 0) {
            throw new IllegalArgumentException("candidates cannot be null or empty: name at least one provider");
        }
        for (int i = 0; i < candidates.length; i++) {
            if (candidates[i] == null) {
                throw new IllegalArgumentException("candidates[" + i + "] == null");
            }
        }
    }

    private static SandboxProvider choose(List<? extends Supplier<? extends SandboxProvider>> candidates) {
        List<String> reasons = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (Supplier<? extends SandboxProvider> candidate : candidates) {
            SandboxProvider provider;
            try {
                provider = ensureNotNull(candidate.get(), "a candidate's provider");
            } catch (RuntimeException e) {
                reasons.add(String.valueOf(e.getMessage()));
                failures.add(e);
                continue;
            }
            if (provider.isAvailable()) {
                return provider;
            }
            reasons.add(provider.description());
            provider.close();
        }
        throw none(reasons, failures);
    }

    private static SandboxException none(List<String> reasons, List<Throwable> failures) {
        StringBuilder message = new StringBuilder("No sandbox available. Tried:");
        reasons.forEach(reason -> message.append("\n  * ").append(reason));
        SandboxException none = new SandboxException(message.toString());
        failures.forEach(none::addSuppressed);
        return none;
    }
}
