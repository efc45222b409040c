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

    /**
     * Checks the settings and copies the lists.
     *
     * @param image the container image, or {@code null}; not blank
     * @param timeout how long the sandbox may live, or {@code null}; positive
     * @param cpu CPU cores, or {@code null}; positive
     * @param memoryMb memory in MB, or {@code null}; positive
     * @param gpu a GPU, or {@code null} for none
     * @param setupCommands shell commands run once at create; {@code null} means none
     * @param network whether sandboxed code may reach the network
     * @param extra fields passed to the provider as they are; {@code null} means none
     * @throws IllegalArgumentException when {@code image} is blank, or {@code timeout}, {@code cpu} or {@code memoryMb} is not positive
     */
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

    /** {@return a spec that leaves every setting to the provider} */
    public static SandboxSpec defaults() {
        return builder().build();
    }

    /** {@return an empty builder: every setting left to the provider} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this spec's settings, to build a variant of it} */
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

        /**
         * The container image.
         *
         * @param image for instance {@code python:3.11}; {@code null} for the provider's default
         * @return this builder
         */
        public Builder image(@Nullable String image) {
            this.image = image;
            return this;
        }

        /**
         * How long the sandbox may live before the provider ends it.
         *
         * @param timeout positive; {@code null} for the provider's default
         * @return this builder
         */
        public Builder timeout(@Nullable Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * CPU cores; the local provider ignores it.
         *
         * @param cpu positive, fractions allowed; {@code null} for the provider's default
         * @return this builder
         */
        public Builder cpu(@Nullable Double cpu) {
            this.cpu = cpu;
            return this;
        }

        /**
         * Memory of the sandbox.
         *
         * @param memoryMb megabytes, positive; {@code null} for the provider's default
         * @return this builder
         */
        public Builder memoryMb(@Nullable Integer memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        /**
         * A GPU, which makes the create cost more; the local provider refuses it.
         *
         * @param gpu the GPU, or {@code null} for none
         * @return this builder
         */
        public Builder gpu(@Nullable Gpu gpu) {
            this.gpu = gpu;
            return this;
        }

        /**
         * Parses a GPU name such as {@code H100}; {@code null} or blank means no GPU.
         *
         * @param gpu a name {@link Gpu#parse} accepts, or {@code null} or blank for none
         * @return this builder
         */
        public Builder gpu(@Nullable String gpu) {
            this.gpu = gpu == null || gpu.isBlank() ? null : Gpu.parse(gpu);
            return this;
        }

        /**
         * Adds a shell command run once at create, after those added before.
         *
         * @param command a shell command line, not blank, for instance {@code pip install numpy}
         * @return this builder
         */
        public Builder setupCommand(String command) {
            setupCommands.add(ensureNotBlank(command, "command"));
            return this;
        }

        /**
         * Adds shell commands run once at create, in order, after those added before.
         *
         * @param commands shell command lines, none blank
         * @return this builder
         */
        public Builder setupCommands(List<String> commands) {
            ensureNotNull(commands, "commands").forEach(this::setupCommand);
            return this;
        }

        /**
         * Whether sandboxed code may reach the network; the local provider cuts it off unless this is set.
         *
         * @param network {@code true} to allow network access
         * @return this builder
         */
        public Builder network(boolean network) {
            this.network = network;
            return this;
        }

        /**
         * A field passed to the provider as it is, for an option the server added after this release.
         *
         * @param name the field's name in the create request, not blank
         * @param value its value, serialized to JSON as it is
         * @return this builder
         */
        public Builder extra(String name, Object value) {
            extra.put(ensureNotBlank(name, "name"), ensureNotNull(value, "value"));
            return this;
        }

        /**
         * {@return the spec}
         *
         * @throws IllegalArgumentException when a setting is out of range
         */
        public SandboxSpec build() {
            return new SandboxSpec(image, timeout, cpu, memoryMb, gpu, setupCommands, network, extra);
        }
    }
}
