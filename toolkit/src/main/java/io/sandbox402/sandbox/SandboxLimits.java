package io.sandbox402.sandbox;

import static io.sandbox402.internal.Checks.ensureAtLeast;
import static io.sandbox402.internal.Checks.ensureNotNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one exec may carry and how long it may run on a provider, so that the toolkit builds only
 * commands the provider accepts and refuses the others before anything is paid. Files, programs and
 * packages ({@link Sandbox#writeFile}, {@link Sandbox#runCode}, {@link Sandbox#install}) pack as much
 * as these limits allow into each exec; work longer than {@link #maxExecTimeout()} runs in the
 * background ({@link Sandbox#start}).
 *
 * <pre>{@code
 * SandboxLimits limits = sandbox.limits();
 * limits.check(request);   // throws SandboxLimitException naming the limit
 * }</pre>
 *
 * <p>Immutable, so thread-safe.
 *
 * @param maxCommandSegments the most argv segments of one exec (BlockRun's public beta: 32)
 * @param maxSegmentChars the most characters of one segment (BlockRun's public beta: 2000)
 * @param maxCommandChars the most characters of all segments together
 * @param minExecTimeout the shortest exec timeout the provider accepts; shorter ones are rounded up
 * @param maxExecTimeout the longest exec timeout the provider accepts (BlockRun's public beta: 60 s)
 * @param setupCommandsAtCreate whether the provider runs {@link SandboxSpec#setupCommands()} itself at
 *     create; when not, they run as execs right after it
 */
public record SandboxLimits(
        int maxCommandSegments,
        int maxSegmentChars,
        int maxCommandChars,
        Duration minExecTimeout,
        Duration maxExecTimeout,
        boolean setupCommandsAtCreate) {

    /**
     * Checks that the limits leave room for the toolkit's own commands.
     *
     * @param maxCommandSegments the most argv segments of one exec, at least 4
     * @param maxSegmentChars the most characters of one segment, at least 512
     * @param maxCommandChars the most characters of all segments together, at least {@code maxSegmentChars}
     * @param minExecTimeout the shortest exec timeout accepted, not negative
     * @param maxExecTimeout the longest exec timeout accepted, positive and at least {@code minExecTimeout}
     * @param setupCommandsAtCreate whether the provider runs setup commands itself at create
     * @throws IllegalArgumentException when there are fewer than 4 segments or 512 characters per segment, the
     *     total is below one segment, or the timeouts do not satisfy {@code 0 <= min <= max}, {@code max > 0}
     */
    public SandboxLimits {
        // the toolkit's own commands need an interpreter, its script and some data
        ensureAtLeast(maxCommandSegments, 4, "maxCommandSegments");
        ensureAtLeast(maxSegmentChars, 512, "maxSegmentChars");
        if (maxCommandChars < maxSegmentChars) {
            throw new IllegalArgumentException("maxCommandChars (" + maxCommandChars + ") cannot be below maxSegmentChars ("
                    + maxSegmentChars + ")");
        }
        ensureNotNull(minExecTimeout, "minExecTimeout");
        ensureNotNull(maxExecTimeout, "maxExecTimeout");
        if (minExecTimeout.isNegative() || maxExecTimeout.compareTo(minExecTimeout) < 0 || maxExecTimeout.isZero()) {
            throw new IllegalArgumentException("exec timeouts must satisfy 0 <= min <= max and max > 0, were "
                    + minExecTimeout + " and " + maxExecTimeout);
        }
    }

    /**
     * Limits of a machine of one's own: Linux's own argument limits (128 KiB per argument, 2 MiB in
     * all, kept below with 96 KiB and 1 MiB for the environment's sake), execs of up to a day.
     *
     * @return the limits of the local provider
     */
    public static SandboxLimits local() {
        return new SandboxLimits(1024, 96 * 1024, 1024 * 1024, Duration.ZERO, Duration.ofHours(24), true);
    }

    /**
     * BlockRun's public beta (2026): at most 32 segments of 2000 characters, exec timeouts of 1 to
     * 60 s, and setup commands refused at create.
     *
     * @return the limits BlockRun enforced when this release was made
     */
    public static SandboxLimits blockRunPublicBeta() {
        return new SandboxLimits(32, 2000, 32 * 2000, Duration.ofSeconds(1), Duration.ofSeconds(60), false);
    }

    /**
     * These limits with another longest exec timeout, for a deployment that allows more (or a test that allows less).
     *
     * @param maxExecTimeout positive; the shortest timeout is lowered to it when above
     * @return the new limits
     */
    public SandboxLimits withMaxExecTimeout(Duration maxExecTimeout) {
        return new SandboxLimits(maxCommandSegments, maxSegmentChars, maxCommandChars,
                minExecTimeout.compareTo(maxExecTimeout) > 0 ? maxExecTimeout : minExecTimeout, maxExecTimeout,
                setupCommandsAtCreate);
    }

    /**
     * These limits with other command sizes; the total becomes their product.
     *
     * @param maxCommandSegments the most argv segments of one exec, at least 4
     * @param maxSegmentChars the most characters of one segment, at least 512
     * @return the new limits
     */
    public SandboxLimits withCommandSize(int maxCommandSegments, int maxSegmentChars) {
        return new SandboxLimits(maxCommandSegments, maxSegmentChars,
                Math.max(maxSegmentChars, (int) Math.min(Integer.MAX_VALUE, (long) maxCommandSegments * maxSegmentChars)),
                minExecTimeout, maxExecTimeout, setupCommandsAtCreate);
    }

    /**
     * These limits with setup commands run by the provider at create or as execs after it.
     *
     * @param setupCommandsAtCreate {@code true} when the provider runs them itself at create
     * @return the new limits
     */
    public SandboxLimits withSetupCommandsAtCreate(boolean setupCommandsAtCreate) {
        return new SandboxLimits(maxCommandSegments, maxSegmentChars, maxCommandChars, minExecTimeout, maxExecTimeout,
                setupCommandsAtCreate);
    }

    /**
     * Checks that {@code request} fits: its segments and, when it has one, its timeout.
     *
     * @param request the exec about to be sent
     * @throws SandboxLimitException naming the limit, the value and what to do instead
     */
    public void check(ExecRequest request) {
        checkCommand(request);
        if (request.timeout() != null && request.timeout().compareTo(maxExecTimeout) > 0) {
            throw new SandboxLimitException("The exec timeout of " + seconds(request.timeout()) + " is above the provider's"
                    + " limit of " + seconds(maxExecTimeout) + " per exec; nothing was sent or paid. Run longer work in the"
                    + " background with Sandbox.start(..) or Sandbox.run(..), which poll it with short execs.");
        }
    }

    /**
     * Checks the command's segments only, not its timeout.
     *
     * @param request the exec about to be sent
     * @throws SandboxLimitException naming the limit, the value and what to do instead
     */
    public void checkCommand(ExecRequest request) {
        int segments = request.command().size();
        if (segments > maxCommandSegments) {
            throw new SandboxLimitException("The command has " + segments + " segments, above the provider's limit of "
                    + maxCommandSegments + " per exec; nothing was sent or paid. Pass data through files"
                    + " (Sandbox.writeFile) or join arguments into one shell command.");
        }
        long total = 0;
        for (int i = 0; i < segments; i++) {
            int length = request.command().get(i).length();
            total += length;
            if (length > maxSegmentChars) {
                throw new SandboxLimitException("Segment " + (i + 1) + " of the command has " + length + " characters, above"
                        + " the provider's limit of " + maxSegmentChars + " per segment; nothing was sent or paid. Write"
                        + " long programs or data with Sandbox.runCode(..) or Sandbox.writeFile(..), which split them.");
            }
        }
        if (total > maxCommandChars) {
            throw new SandboxLimitException("The command has " + total + " characters, above the provider's limit of "
                    + maxCommandChars + " per exec; nothing was sent or paid. Write the data with Sandbox.writeFile(..).");
        }
    }

    /**
     * The timeout to send for {@code requested}: the provider's longest when {@code null}, rounded up to
     * the shortest it accepts. Longer than the longest is left for {@link #check} to refuse.
     *
     * @param requested the caller's timeout, or {@code null} for none
     * @return the timeout to send
     */
    public Duration execTimeout(@Nullable Duration requested) {
        if (requested == null) {
            return maxExecTimeout;
        }
        return requested.compareTo(minExecTimeout) < 0 ? minExecTimeout : requested;
    }

    static String seconds(Duration duration) {
        return duration.toMillisPart() == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }
}
