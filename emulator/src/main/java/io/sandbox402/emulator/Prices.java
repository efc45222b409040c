package io.sandbox402.emulator;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.sandbox.Gpu;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each call costs, in atomic USDC units. The defaults are the seed price list (create $0.010,
 * exec, status and terminate $0.001 each) and the GPU tiers BlockRun has quoted ($0.05 for a T4 up to
 * $0.40 for an H100).
 */
public final class Prices {
    private final Map<String, BigInteger> operations;
    private final Map<Gpu, BigInteger> gpus;

    private Prices(Map<String, BigInteger> operations, Map<Gpu, BigInteger> gpus) {
        this.operations = operations;
        this.gpus = gpus;
    }

    public static Prices defaults() {
        Map<String, BigInteger> operations = new LinkedHashMap<>();
        operations.put("create", usd("0.010"));
        operations.put("exec", usd("0.001"));
        operations.put("status", usd("0.001"));
        operations.put("terminate", usd("0.001"));
        Map<Gpu, BigInteger> gpus = new EnumMap<>(Gpu.class);
        gpus.put(Gpu.T4, usd("0.05"));
        gpus.put(Gpu.L4, usd("0.08"));
        gpus.put(Gpu.A10G, usd("0.10"));
        gpus.put(Gpu.A100, usd("0.25"));
        gpus.put(Gpu.A100_80GB, usd("0.30"));
        gpus.put(Gpu.H100, usd("0.40"));
        return new Prices(operations, gpus);
    }

    /** The same prices but {@code operation}'s, in US dollars. */
    public Prices with(String operation, BigDecimal usd) {
        if (!operations.containsKey(operation)) {
            throw new IllegalArgumentException("Unknown operation '" + operation + "'. Use one of " + operations.keySet() + ".");
        }
        Map<String, BigInteger> copy = new LinkedHashMap<>(operations);
        copy.put(operation, usd(ensureNotNull(usd, "usd").toPlainString()));
        return new Prices(copy, gpus);
    }

    /** The same prices but a create with {@code gpu}'s, in US dollars. */
    public Prices withGpu(Gpu gpu, BigDecimal usd) {
        Map<Gpu, BigInteger> copy = new EnumMap<>(gpus);
        copy.put(ensureNotNull(gpu, "gpu"), usd(ensureNotNull(usd, "usd").toPlainString()));
        return new Prices(operations, copy);
    }

    /** The price of {@code operation}; a create with a GPU costs the GPU tier's price. */
    public BigInteger of(String operation, Gpu gpu) {
        if ("create".equals(operation) && gpu != null) {
            return gpus.get(gpu);
        }
        return operations.get(operation);
    }

    static BigInteger usd(String usd) {
        return new BigDecimal(usd).movePointRight(6).toBigIntegerExact();
    }
}
