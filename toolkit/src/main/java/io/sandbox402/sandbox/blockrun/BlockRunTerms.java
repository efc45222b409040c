package io.sandbox402.sandbox.blockrun;

import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.sandbox.SandboxLimitException;
import io.sandbox402.sandbox.SandboxSpec;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a BlockRun create accepts, checked before anything is paid so that a spec it would refuse fails
 * with the limit's name instead of a 400 after a 402 round trip.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param images the images allowed; empty for any
 * @param minLifetime the shortest sandbox {@code timeout}
 * @param maxLifetime the longest sandbox {@code timeout}
 * @param flatLifetime the longest lifetime billed flat; longer ones are billed hourly, upfront
 * @param maxCpu the most CPU cores without a GPU
 * @param maxMemoryMb the most memory without a GPU, in MB
 * @param maxGpuCpu the most CPU cores with a GPU
 * @param maxGpuMemoryMb the most memory with a GPU, in MB
 * @param extraFields the request fields a {@link SandboxSpec#extra()} may add; empty for none (strict)
 */
public record BlockRunTerms(
        Set<String> images,
        Duration minLifetime,
        Duration maxLifetime,
        Duration flatLifetime,
        double maxCpu,
        int maxMemoryMb,
        double maxGpuCpu,
        int maxGpuMemoryMb,
        Set<String> extraFields) {

    /**
     * Copies the sets.
     *
     * @param images the images allowed; empty for any
     * @param minLifetime the shortest sandbox {@code timeout}
     * @param maxLifetime the longest sandbox {@code timeout}
     * @param flatLifetime the longest lifetime billed flat; longer ones are billed hourly, upfront
     * @param maxCpu the most CPU cores without a GPU
     * @param maxMemoryMb the most memory without a GPU, in MB
     * @param maxGpuCpu the most CPU cores with a GPU
     * @param maxGpuMemoryMb the most memory with a GPU, in MB
     * @param extraFields the request fields a {@link SandboxSpec#extra()} may add; {@code *} for any
     */
    public BlockRunTerms {
        images = Set.copyOf(ensureNotNull(images, "images"));
        ensureNotNull(minLifetime, "minLifetime");
        ensureNotNull(maxLifetime, "maxLifetime");
        ensureNotNull(flatLifetime, "flatLifetime");
        extraFields = Set.copyOf(ensureNotNull(extraFields, "extraFields"));
    }

    /**
     * BlockRun's public beta (2026): only {@code python:3.11}; lifetime 10 to 86,400 s, hourly above
     * 300 s; at most 1 CPU and 1024 MB without a GPU, 8 and 32,768 with one; unknown fields refused.
     *
     * @return the terms BlockRun's public API enforced when this release was made
     */
    public static BlockRunTerms publicBeta() {
        return new BlockRunTerms(Set.of("python:3.11"), Duration.ofSeconds(10), Duration.ofSeconds(86_400),
                Duration.ofSeconds(300), 1.0, 1024, 8.0, 32_768, Set.of());
    }

    /**
     * BlockRun's seed terms: custom images and setup commands at create, the same sizes, no hourly billing.
     *
     * @return the terms of a seed deployment, which accepts any image and any extra field
     */
    public static BlockRunTerms seed() {
        return new BlockRunTerms(Set.of(), Duration.ofSeconds(10), Duration.ofSeconds(86_400), Duration.ofSeconds(86_400),
                1.0, 1024, 8.0, 32_768, Set.of("*"));
    }

    /**
     * {@return whether a create for {@code lifetime} is billed by the hour, upfront}
     *
     * @param lifetime the sandbox's {@code timeout}, or {@code null} for BlockRun's default (billed flat)
     */
    public boolean hourly(@Nullable Duration lifetime) {
        return lifetime != null && lifetime.compareTo(flatLifetime) > 0;
    }

    /**
     * Checks {@code spec} against these terms.
     *
     * @param spec the sandbox about to be created
     * @throws SandboxLimitException naming the limit and the value asked for
     */
    public void check(SandboxSpec spec) {
        String image = spec.image();
        if (image != null && !images.isEmpty() && !images.contains(image)) {
            throw refuse("the image " + image + " is not offered; BlockRun offers " + String.join(", ", images.stream().sorted().toList()));
        }
        Duration lifetime = spec.timeout();
        if (lifetime != null && (lifetime.compareTo(minLifetime) < 0 || lifetime.compareTo(maxLifetime) > 0
                || lifetime.toMillisPart() != 0)) {
            throw refuse("a lifetime (timeout) of " + lifetime.toMillis() / 1000.0 + " s is outside " + minLifetime.toSeconds()
                    + " to " + maxLifetime.toSeconds() + " whole seconds");
        }
        boolean gpu = spec.gpu() != null;
        double cpuLimit = gpu ? maxGpuCpu : maxCpu;
        if (spec.cpu() != null && spec.cpu() > cpuLimit) {
            throw refuse(spec.cpu() + " CPUs is above the limit of " + cpuLimit + (gpu ? " with a GPU" : " without a GPU (up to "
                    + maxGpuCpu + " with one)"));
        }
        int memoryLimit = gpu ? maxGpuMemoryMb : maxMemoryMb;
        if (spec.memoryMb() != null && spec.memoryMb() > memoryLimit) {
            throw refuse(spec.memoryMb() + " MB of memory is above the limit of " + memoryLimit + " MB"
                    + (gpu ? " with a GPU" : " without a GPU (up to " + maxGpuMemoryMb + " with one)"));
        }
        for (String field : spec.extra().keySet()) {
            if (!extraFields.contains("*") && !extraFields.contains(field)) {
                throw refuse("the field '" + field + "' is not part of BlockRun's create request, which refuses unknown fields");
            }
        }
    }

    private static SandboxLimitException refuse(String why) {
        return new SandboxLimitException("BlockRun cannot create this sandbox: " + why + ". Nothing was sent or paid.");
    }
}
