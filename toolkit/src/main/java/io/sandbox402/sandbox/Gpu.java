package io.sandbox402.sandbox;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The GPU types BlockRun's Modal sandboxes offer. A GPU create costs more than a CPU one.
 *
 * <p>Immutable, so thread-safe.
 */
public enum Gpu {
    /** NVIDIA T4, 16 GB. */
    T4("T4"),
    /** NVIDIA L4, 24 GB. */
    L4("L4"),
    /** NVIDIA A10G, 24 GB. */
    A10G("A10G"),
    /** NVIDIA A100 with 40 GB. */
    A100("A100"),
    /** NVIDIA A100 with 80 GB; its wire name is {@code A100-80GB}. */
    A100_80GB("A100-80GB"),
    /** NVIDIA H100, 80 GB. */
    H100("H100");

    private final String wireName;

    Gpu(String wireName) {
        this.wireName = wireName;
    }

    /** {@return the name on the wire, for instance {@code A100-80GB}} */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name, ignoring case: {@code "h100"} is {@link #H100}.
     *
     * @param name a wire name, surrounding spaces ignored
     * @return the GPU of that name
     * @throws IllegalArgumentException when no GPU has that name; the message lists those that do
     */
    public static Gpu parse(String name) {
        for (Gpu gpu : values()) {
            if (gpu.wireName.equalsIgnoreCase(name.trim())) {
                return gpu;
            }
        }
        throw new IllegalArgumentException("Unknown GPU '" + name + "'. Use one of: " + names() + ".");
    }

    /** {@return the wire names, comma-separated, for messages} */
    public static String names() {
        return Arrays.stream(values()).map(Gpu::wireName).collect(Collectors.joining(", "));
    }
}
