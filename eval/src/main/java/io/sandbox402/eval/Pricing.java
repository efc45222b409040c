package io.sandbox402.eval;

import static io.sandbox402.internal.Checks.ensureNotNull;

import java.math.BigDecimal;

/**
 * What a provider charges per call, in US dollars, for estimates and the {@code maxCost} stop.
 * BlockRun's public beta: $0.011 a create (lifetime up to 300 s), $0.002 an exec or terminate.
 *
 * @param create one sandbox
 * @param exec one command
 * @param terminate ending a sandbox
 */
public record Pricing(BigDecimal create, BigDecimal exec, BigDecimal terminate) {
    /** A provider that charges nothing, such as the local one. */
    public static final Pricing FREE = new Pricing(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    /**
     * Checks that every price is there.
     *
     * @param create one sandbox
     * @param exec one command
     * @param terminate ending a sandbox
     * @throws IllegalArgumentException when a price is null
     */
    public Pricing {
        ensureNotNull(create, "create");
        ensureNotNull(exec, "exec");
        ensureNotNull(terminate, "terminate");
    }

    /** {@return whether every call is free, so there is nothing to estimate or limit} */
    public boolean isFree() {
        return create.signum() == 0 && exec.signum() == 0 && terminate.signum() == 0;
    }

    /** A sandbox's fixed cost: create, the runner's upload, terminate. */
    BigDecimal perSandbox() {
        return create.add(exec).add(terminate);
    }
}
