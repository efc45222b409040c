package io.sandbox402.sandbox.blockrun;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.x402.Usdc;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * What BlockRun asks for one call, read from its free 402 answer ({@link BlockRunProvider#quote}).
 *
 * <p>Immutable, so thread-safe.
 *
 * @param operation {@code create}, {@code exec}, {@code status} or {@code terminate}
 * @param usd the price in US dollars, for instance {@code 0.002}
 * @param amount the price in atomic USDC units (6 decimals), as signed
 * @param network the network paid on, for instance {@code eip155:8453}
 * @param model {@code flat} or {@code hourly} when BlockRun says, else {@code null}
 * @param hourlyRateUsd the hourly rate of an hourly create, else {@code null}
 */
public record BlockRunQuote(String operation, BigDecimal usd, BigInteger amount, String network, @Nullable String model,
        @Nullable BigDecimal hourlyRateUsd) {

    /**
     * Checks that the required fields are given.
     *
     * @param operation {@code create}, {@code exec}, {@code status} or {@code terminate}; not blank
     * @param usd the price in US dollars, not {@code null}
     * @param amount the price in atomic USDC units, not {@code null}
     * @param network the network paid on, not blank
     * @param model {@code flat} or {@code hourly}, or {@code null}
     * @param hourlyRateUsd the hourly rate of an hourly create, or {@code null}
     */
    public BlockRunQuote {
        ensureNotBlank(operation, "operation");
        ensureNotNull(usd, "usd");
        ensureNotNull(amount, "amount");
        ensureNotBlank(network, "network");
    }

    /** {@return whether the create is billed by the hour, upfront for the whole lifetime asked for} */
    public boolean hourly() {
        return "hourly".equalsIgnoreCase(model) || hourlyRateUsd != null;
    }

    /** {@return the price as people read it: {@code $0.002}} See {@link Usdc#format(BigDecimal)}. */
    public String price() {
        return Usdc.format(usd);
    }
}
