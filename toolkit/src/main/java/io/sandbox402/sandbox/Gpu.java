package io.sandbox402.sandbox;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The GPU types BlockRun's Modal sandboxes offer. A GPU create costs more than a CPU one.
 *
 * <p>Immutable, so thread-safe.
 */
public enum Gpu {
    T4("T4"),
    L4("L4"),
    A10G("A10G"),
    A100("A100"),
    A100_80GB("A100-80GB"),
    H100("H100");

    private final String wireName;

    Gpu(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire, for instance {@code A100-80GB}. */
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name, ignoring case: {@code "h100"} is {@link #H100}. */
    public static Gpu parse(String name) {
        for (Gpu gpu : values()) {
            if (gpu.wireName.equalsIgnoreCase(name.trim())) {
                return gpu;
            }
        }
        throw new IllegalArgumentException("Unknown GPU '" + name + "'. Use one of: " + names() + ".");
    }

    /** The wire names, comma-separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(Gpu::wireName).collect(Collectors.joining(", "));
    }
}
