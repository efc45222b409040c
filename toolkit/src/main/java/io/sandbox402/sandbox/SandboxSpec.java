package io.sandbox402.sandbox;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;
import static io.sandbox402.internal.Checks.ensurePositive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What sandbox to create. Every field is optional: {@code null} means the provider's default.
 * Cheap checks (positive numbers, known GPU names) happen here; limits that move over time (the
 * longest timeout, the allowed images) are left to the provider.
 *
 * <pre>{@code
 * SandboxSpec spec = SandboxSpec.builder()
 *         .image("python:3.11")
 *         .timeout(Duration.ofMinutes(5))
 *         .setupCommand("pip install numpy")
 *         .build();
 * }</pre>
 *
 * <p>Immutable, so thread-safe; its {@link Builder} is not.
 *
 * @param image the container image, for instance {@code python:3.11}
 * @param timeout how long the sandbox may live
 * @param cpu CPU cores
 * @param memoryMb memory in MB
 * @param gpu a GPU, which makes the create cost more
 * @param setupCommands shell commands run once at create
 * @param network whether sandboxed code may reach the network (the local provider's default is no)
 * @param extra fields passed to the provider as they are, for options the server adds later
 */
public record SandboxSpec(
        @Nullable String image,
        @Nullable Duration timeout,
        @Nullable Double cpu,
        @Nullable Integer memoryMb,
        @Nullable Gpu gpu,
        List<String> setupCommands,
        boolean network,
        Map<String, Object> extra) {

    public SandboxSpec {
        if (image != null) {
            ensureNotBlank(image, "image");
        }
        if (timeout != null) {
            ensurePositive(timeout, "timeout");
        }
        if (cpu != null) {
            ensurePositive(cpu, "cpu");
        }
        if (memoryMb != null) {
            ensurePositive(memoryMb, "memoryMb");
        }
        setupCommands = setupCommands == null ? List.of() : List.copyOf(setupCommands);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** A sandbox with every setting left to the provider. */
    public static SandboxSpec defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.image = image;
        builder.timeout = timeout;
        builder.cpu = cpu;
        builder.memoryMb = memoryMb;
        builder.gpu = gpu;
        builder.setupCommands.addAll(setupCommands);
        builder.network = network;
        builder.extra.putAll(extra);
        return builder;
    }

    /** Options of a {@link SandboxSpec}, checked by {@link #build()}. Not thread-safe: build on one thread. */
    public static final class Builder {
        private @Nullable String image;
        private @Nullable Duration timeout;
        private @Nullable Double cpu;
        private @Nullable Integer memoryMb;
        private @Nullable Gpu gpu;
        private final List<String> setupCommands = new ArrayList<>();
        private boolean network;
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {}

        public Builder image(@Nullable String image) {
            this.image = image;
            return this;
        }

        public Builder timeout(@Nullable Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder cpu(@Nullable Double cpu) {
            this.cpu = cpu;
            return this;
        }

        public Builder memoryMb(@Nullable Integer memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        public Builder gpu(@Nullable Gpu gpu) {
            this.gpu = gpu;
            return this;
        }

        /** Parses a GPU name such as {@code H100}; {@code null} or blank means no GPU. */
        public Builder gpu(@Nullable String gpu) {
            this.gpu = gpu == null || gpu.isBlank() ? null : Gpu.parse(gpu);
            return this;
        }

        public Builder setupCommand(String command) {
            setupCommands.add(ensureNotBlank(command, "command"));
            return this;
        }

        public Builder setupCommands(List<String> commands) {
            ensureNotNull(commands, "commands").forEach(this::setupCommand);
            return this;
        }

        public Builder network(boolean network) {
            this.network = network;
            return this;
        }

        public Builder extra(String name, Object value) {
            extra.put(ensureNotBlank(name, "name"), ensureNotNull(value, "value"));
            return this;
        }

        public SandboxSpec build() {
            return new SandboxSpec(image, timeout, cpu, memoryMb, gpu, setupCommands, network, extra);
        }
    }
}
