package io.sandbox402.emulator;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

import io.sandbox402.sandbox.Gpu;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The terms a {@link BlockRunEmulator} plays: BlockRun's request limits, prices and strictness. Two
 * named profiles model the two published sets of terms:
 *
 * <ul>
 *   <li>{@link #publicBeta()} (the default): BlockRun's current API reference. Only {@code python:3.11},
 *       create {@code timeout} 10–86400 s, {@code cpu} ≤ 1 (8 with a GPU), {@code memory} ≤ 1024 MB
 *       (32768 with a GPU), no {@code setup_commands}, unknown fields refused; exec {@code command} at most
 *       32 segments of at most 2000 characters, {@code timeout} 1–60 s. Exec, status and terminate cost
 *       $0.002; create is flat up to 300 s ($0.011 on a CPU to $0.401 on an H100) and hourly above,
 *       charged upfront pro rata to the second plus the $0.001 fee.</li>
 *   <li>{@link #seedTerms()}: the original partner page. $0.010 create (GPU tiers $0.05–$0.40), $0.001
 *       exec, status and terminate; custom images and setup commands accepted; lenient about extra fields.</li>
 * </ul>
 *
 * <p>Change one limit with {@link #toBuilder()}, for instance so that a test of "a command running three
 * times the exec limit" takes seconds:
 *
 * <pre>{@code
 * BlockRunProfile quick = BlockRunProfile.publicBeta().toBuilder()
 *         .maxExecTimeout(Duration.ofSeconds(2))
 *         .minCreateTimeout(Duration.ofSeconds(2))
 *         .build();
 * BlockRunEmulator emulator = BlockRunEmulator.builder().profile(quick).build().start();
 * }</pre>
 *
 * <p>Hourly create prices are {@code seconds / 3600 × rate + fee}, rounded <em>up</em> to USDC's sixth
 * decimal (a meter never undercharges): 1801 s on a T4 is 0.750416.. + 0.001 = $0.751417.
 */
public final class BlockRunProfile {
    /** The operations BlockRun prices. */
    static final Set<String> OPERATIONS = Set.of("create", "exec", "status", "terminate");

    private final String name;
    private final Set<String> images;
    private final boolean setupCommands;
    private final boolean strict;
    private final Set<Gpu> gpus;
    private final Duration minCreateTimeout;
    private final Duration maxCreateTimeout;
    private final Duration defaultCreateTimeout;
    private final double maxCpu;
    private final double maxGpuCpu;
    private final int maxMemoryMb;
    private final int maxGpuMemoryMb;
    private final int maxCommandSegments;
    private final int maxSegmentChars;
    private final Duration maxExecTimeout;
    private final Map<String, BigInteger> operationPrices;
    private final Map<String, BigInteger> flatCreate;
    private final Map<String, BigDecimal> hourlyRates;
    private final Duration flatUpTo;
    private final BigInteger fee;
    private final int maxBodyBytes;

    private BlockRunProfile(Builder b) {
        this.name = b.name;
        this.images = Set.copyOf(b.images);
        this.setupCommands = b.setupCommands;
        this.strict = b.strict;
        this.gpus = b.gpus.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.gpus));
        this.minCreateTimeout = b.minCreateTimeout;
        this.maxCreateTimeout = b.maxCreateTimeout;
        this.defaultCreateTimeout = b.defaultCreateTimeout;
        this.maxCpu = b.maxCpu;
        this.maxGpuCpu = b.maxGpuCpu;
        this.maxMemoryMb = b.maxMemoryMb;
        this.maxGpuMemoryMb = b.maxGpuMemoryMb;
        this.maxCommandSegments = b.maxCommandSegments;
        this.maxSegmentChars = b.maxSegmentChars;
        this.maxExecTimeout = b.maxExecTimeout;
        this.operationPrices = Map.copyOf(b.operationPrices);
        this.flatCreate = Map.copyOf(b.flatCreate);
        this.hourlyRates = Map.copyOf(b.hourlyRates);
        this.flatUpTo = b.flatUpTo;
        this.fee = b.fee;
        this.maxBodyBytes = b.maxBodyBytes;
        if (minCreateTimeout.compareTo(maxCreateTimeout) > 0) {
            throw new IllegalArgumentException("minCreateTimeout " + minCreateTimeout + " is above maxCreateTimeout " + maxCreateTimeout);
        }
    }

    /** {@return BlockRun's public beta (its 2026 API reference): the default} */
    public static BlockRunProfile publicBeta() {
        Builder b = new Builder("public-beta");
        b.images = Set.of("python:3.11");
        b.setupCommands = false;
        b.strict = true;
        b.gpus = EnumSet.of(Gpu.T4, Gpu.L4, Gpu.A10G, Gpu.A100, Gpu.H100);
        b.minCreateTimeout = Duration.ofSeconds(10);
        b.maxCreateTimeout = Duration.ofSeconds(86_400);
        b.maxCpu = 1.0;
        b.maxGpuCpu = 8.0;
        b.maxMemoryMb = 1024;
        b.maxGpuMemoryMb = 32_768;
        b.maxCommandSegments = 32;
        b.maxSegmentChars = 2000;
        for (String operation : new String[] {"exec", "status", "terminate"}) {
            b.operationPrices.put(operation, usd("0.002"));
        }
        tier(b, "CPU", "0.011", "0.10");
        tier(b, "T4", "0.051", "1.50");
        tier(b, "L4", "0.081", "2.00");
        tier(b, "A10G", "0.101", "2.50");
        tier(b, "A100", "0.201", "4.00");
        tier(b, "H100", "0.401", "8.00");
        b.flatUpTo = Duration.ofSeconds(300);
        b.fee = usd("0.001");
        return b.build();
    }

    /** {@return the seed terms (the original partner page): flat prices, custom images and setup commands, lenient bodies} */
    public static BlockRunProfile seedTerms() {
        Builder b = new Builder("seed-terms");
        b.images = Set.of();
        b.setupCommands = true;
        b.strict = false;
        b.gpus = EnumSet.allOf(Gpu.class);
        b.minCreateTimeout = Duration.ofSeconds(1);
        b.maxCreateTimeout = Duration.ofSeconds(86_400);
        b.maxCpu = 8.0;
        b.maxGpuCpu = 8.0;
        b.maxMemoryMb = 32_768;
        b.maxGpuMemoryMb = 32_768;
        b.maxCommandSegments = Integer.MAX_VALUE;
        b.maxSegmentChars = Integer.MAX_VALUE;
        for (String operation : new String[] {"exec", "status", "terminate"}) {
            b.operationPrices.put(operation, usd("0.001"));
        }
        b.flatCreate.put("CPU", usd("0.010"));
        b.flatCreate.put("T4", usd("0.05"));
        b.flatCreate.put("L4", usd("0.08"));
        b.flatCreate.put("A10G", usd("0.10"));
        b.flatCreate.put("A100", usd("0.25"));
        b.flatCreate.put("A100-80GB", usd("0.30"));
        b.flatCreate.put("H100", usd("0.40"));
        b.flatUpTo = null; // always flat
        b.fee = BigInteger.ZERO;
        return b.build();
    }

    /**
     * {@return the profile called {@code name}}
     *
     * @param name {@code public-beta} or {@code seed-terms}, in any case
     * @throws IllegalArgumentException for another name
     */
    public static BlockRunProfile named(String name) {
        return switch (ensureNotBlank(name, "name").trim().toLowerCase(java.util.Locale.ROOT)) {
            case "public-beta" -> publicBeta();
            case "seed-terms" -> seedTerms();
            default -> throw new IllegalArgumentException("Unknown BlockRun profile '" + name
                    + "'. Use public-beta (the default) or seed-terms.");
        };
    }

    private static void tier(Builder b, String tier, String flat, String hourly) {
        b.flatCreate.put(tier, usd(flat));
        b.hourlyRates.put(tier, new BigDecimal(hourly));
    }

    /** {@return the profile's name, as the CLI's {@code --profile} takes it} */
    public String name() {
        return name;
    }

    /** {@return the images a create may ask for; empty when any is accepted} */
    public Set<String> images() {
        return images;
    }

    /** {@return whether a create may carry non-empty {@code setup_commands}} */
    public boolean setupCommands() {
        return setupCommands;
    }

    /** {@return whether unknown fields and non-integer timeouts are a 400} */
    public boolean strict() {
        return strict;
    }

    /** {@return the GPUs a create may ask for} */
    public Set<Gpu> gpus() {
        return gpus;
    }

    /** {@return the shortest create timeout (sandbox lifetime) accepted} */
    public Duration minCreateTimeout() {
        return minCreateTimeout;
    }

    /** {@return the longest create timeout (sandbox lifetime) accepted} */
    public Duration maxCreateTimeout() {
        return maxCreateTimeout;
    }

    /** {@return a create's lifetime when it names none (BlockRun: 300 s)} */
    public Duration defaultCreateTimeout() {
        return defaultCreateTimeout;
    }

    /**
     * {@return the most CPU cores a create may ask for}
     *
     * @param withGpu whether the create asks for a GPU too
     */
    public double maxCpu(boolean withGpu) {
        return withGpu ? maxGpuCpu : maxCpu;
    }

    /**
     * {@return the most memory a create may ask for, in MB}
     *
     * @param withGpu whether the create asks for a GPU too
     */
    public int maxMemoryMb(boolean withGpu) {
        return withGpu ? maxGpuMemoryMb : maxMemoryMb;
    }

    /** {@return the most segments an exec {@code command} may have} */
    public int maxCommandSegments() {
        return maxCommandSegments;
    }

    /** {@return the most characters one segment of an exec {@code command} may have} */
    public int maxSegmentChars() {
        return maxSegmentChars;
    }

    /** {@return the longest exec {@code timeout}, also an exec's default (BlockRun: 60 s)} */
    public Duration maxExecTimeout() {
        return maxExecTimeout;
    }

    /** {@return the largest request body read, in bytes; a longer one is a 413 (default 1 MiB, 16 times the largest valid exec)} */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * {@return the price of an exec, status or terminate, in atomic USDC units}
     *
     * @param operation {@code exec}, {@code status} or {@code terminate}
     */
    public BigInteger price(String operation) {
        BigInteger price = operationPrices.get(operation);
        if (price == null) {
            throw new IllegalArgumentException("No fixed price for '" + operation + "'. Use exec, status or terminate,"
                    + " or createPrice(..).");
        }
        return price;
    }

    /**
     * {@return the price of a create in atomic USDC units}
     *
     * @param gpu the create's GPU, {@code null} for a CPU sandbox
     * @param timeout the sandbox's lifetime
     */
    public BigInteger createPrice(Gpu gpu, Duration timeout) {
        return quoteCreate(gpu, ensureNotNull(timeout, "timeout")).amount();
    }

    /** A create's quote: flat up to {@code flatUpTo}, hourly pro rata to the second above. */
    Quote quoteCreate(Gpu gpu, Duration timeout) {
        String tier = gpu == null ? "CPU" : gpu.wireName();
        BigDecimal rate = hourlyRates.get(tier);
        if (flatUpTo == null || rate == null || timeout.compareTo(flatUpTo) <= 0) {
            BigInteger flat = flatCreate.get(tier);
            if (flat == null) {
                throw new IllegalArgumentException("No create price for " + tier + " in the " + name + " profile");
            }
            return new Quote(flat, "flat", null, timeout);
        }
        BigInteger amount = rate.multiply(BigDecimal.valueOf(timeout.toSeconds()))
                .divide(BigDecimal.valueOf(3600), 6, RoundingMode.CEILING)
                .movePointRight(6).toBigIntegerExact().add(fee);
        return new Quote(amount, "hourly", rate, timeout);
    }

    /** What a call costs and how BlockRun explains it in the 402's {@code price}. */
    record Quote(BigInteger amount, String model, BigDecimal hourlyRate, Duration duration) {
        static Quote flat(BigInteger amount) {
            return new Quote(amount, "flat", null, null);
        }
    }

    /** {@return a builder starting from this profile} */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.images = images;
        b.setupCommands = setupCommands;
        b.strict = strict;
        b.gpus = gpus.isEmpty() ? EnumSet.noneOf(Gpu.class) : EnumSet.copyOf(gpus);
        b.minCreateTimeout = minCreateTimeout;
        b.maxCreateTimeout = maxCreateTimeout;
        b.defaultCreateTimeout = defaultCreateTimeout;
        b.maxCpu = maxCpu;
        b.maxGpuCpu = maxGpuCpu;
        b.maxMemoryMb = maxMemoryMb;
        b.maxGpuMemoryMb = maxGpuMemoryMb;
        b.maxCommandSegments = maxCommandSegments;
        b.maxSegmentChars = maxSegmentChars;
        b.maxExecTimeout = maxExecTimeout;
        b.operationPrices.putAll(operationPrices);
        b.flatCreate.putAll(flatCreate);
        b.hourlyRates.putAll(hourlyRates);
        b.flatUpTo = flatUpTo;
        b.fee = fee;
        b.maxBodyBytes = maxBodyBytes;
        return b;
    }

    @Override
    public String toString() {
        return name;
    }

    static BigInteger usd(String usd) {
        return new BigDecimal(usd).movePointRight(6).toBigIntegerExact();
    }

    static BigInteger usd(BigDecimal usd) {
        return usd(ensureNotNull(usd, "usd").toPlainString());
    }

    /** Changes a profile; start from {@link #publicBeta()} or {@link #seedTerms()} with {@link #toBuilder()}. */
    public static final class Builder {
        private String name;
        private Set<String> images = Set.of();
        private boolean setupCommands;
        private boolean strict;
        private Set<Gpu> gpus = EnumSet.noneOf(Gpu.class);
        private Duration minCreateTimeout;
        private Duration maxCreateTimeout;
        private Duration defaultCreateTimeout = Duration.ofSeconds(300);
        private double maxCpu;
        private double maxGpuCpu;
        private int maxMemoryMb;
        private int maxGpuMemoryMb;
        private int maxCommandSegments;
        private int maxSegmentChars;
        private Duration maxExecTimeout = Duration.ofSeconds(60);
        private final Map<String, BigInteger> operationPrices = new LinkedHashMap<>();
        private final Map<String, BigInteger> flatCreate = new LinkedHashMap<>();
        private final Map<String, BigDecimal> hourlyRates = new LinkedHashMap<>();
        private Duration flatUpTo;
        private BigInteger fee = BigInteger.ZERO;
        private int maxBodyBytes = 1 << 20;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * A name for messages and the CLI's banner.
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = ensureNotBlank(name, "name");
            return this;
        }

        /**
         * The longest exec timeout (and an exec's default). Public beta: 60 s.
         *
         * @param timeout whole seconds
         * @return this builder
         */
        public Builder maxExecTimeout(Duration timeout) {
            this.maxExecTimeout = positiveSeconds(timeout, "maxExecTimeout");
            return this;
        }

        /**
         * The shortest create timeout (sandbox lifetime) accepted. Public beta: 10 s; tests may use 2 s.
         *
         * @param timeout whole seconds
         * @return this builder
         */
        public Builder minCreateTimeout(Duration timeout) {
            this.minCreateTimeout = positiveSeconds(timeout, "minCreateTimeout");
            return this;
        }

        /**
         * The longest create timeout (sandbox lifetime) accepted. Public beta: 86,400 s.
         *
         * @param timeout whole seconds
         * @return this builder
         */
        public Builder maxCreateTimeout(Duration timeout) {
            this.maxCreateTimeout = positiveSeconds(timeout, "maxCreateTimeout");
            return this;
        }

        /**
         * A create's lifetime when it names none. BlockRun: 300 s.
         *
         * @param timeout whole seconds
         * @return this builder
         */
        public Builder defaultCreateTimeout(Duration timeout) {
            this.defaultCreateTimeout = positiveSeconds(timeout, "defaultCreateTimeout");
            return this;
        }

        /**
         * The price of exec, status or terminate.
         *
         * @param operation {@code exec}, {@code status} or {@code terminate}
         * @param usd the price in US dollars
         * @return this builder
         */
        public Builder price(String operation, BigDecimal usd) {
            if (!operationPrices.containsKey(operation)) {
                throw new IllegalArgumentException("Unknown operation '" + operation
                        + "'. Use exec, status or terminate; createPrice(..) for create.");
            }
            operationPrices.put(operation, usd(usd));
            return this;
        }

        /**
         * The flat create price of a tier.
         *
         * @param gpu the tier's GPU, {@code null} for a CPU sandbox
         * @param usd the price in US dollars
         * @return this builder
         */
        public Builder createPrice(Gpu gpu, BigDecimal usd) {
            flatCreate.put(gpu == null ? "CPU" : gpu.wireName(), usd(usd));
            return this;
        }

        /**
         * The hourly rate of a tier above {@link #flatUpTo}.
         *
         * @param gpu the tier's GPU, {@code null} for a CPU sandbox
         * @param usdPerHour the rate in US dollars an hour
         * @return this builder
         */
        public Builder hourlyRate(Gpu gpu, BigDecimal usdPerHour) {
            hourlyRates.put(gpu == null ? "CPU" : gpu.wireName(), ensureNotNull(usdPerHour, "usdPerHour"));
            return this;
        }

        /**
         * The longest create priced flat; longer ones are hourly. Public beta: 300 s.
         *
         * @param timeout whole seconds, or {@code null} for always flat
         * @return this builder
         */
        public Builder flatUpTo(Duration timeout) {
            this.flatUpTo = timeout == null ? null : positiveSeconds(timeout, "flatUpTo");
            return this;
        }

        /**
         * The images a create may name. Public beta: {@code python:3.11}.
         *
         * @param images the images; empty for any
         * @return this builder
         */
        public Builder images(Set<String> images) {
            this.images = Set.copyOf(ensureNotNull(images, "images"));
            return this;
        }

        /**
         * Whether non-empty {@code setup_commands} are accepted. Public beta: no.
         *
         * @param accepted whether they are
         * @return this builder
         */
        public Builder setupCommands(boolean accepted) {
            this.setupCommands = accepted;
            return this;
        }

        /**
         * Whether unknown fields and non-integer timeouts are a 400. Public beta: yes.
         *
         * @param strict whether they are
         * @return this builder
         */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /**
         * The most segments an exec {@code command} may have, and the longest segment. Public beta: 32 and 2000.
         *
         * @param maxSegments the most segments
         * @param maxSegmentChars the most characters in one segment
         * @return this builder
         */
        public Builder commandLimits(int maxSegments, int maxSegmentChars) {
            if (maxSegments < 1 || maxSegmentChars < 1) {
                throw new IllegalArgumentException("command limits must be positive, were " + maxSegments + " and " + maxSegmentChars);
            }
            this.maxCommandSegments = maxSegments;
            this.maxSegmentChars = maxSegmentChars;
            return this;
        }

        /**
         * The largest request body; a longer one is answered 413 without being read. Default 1 MiB.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1024, was " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /** {@return the profile} */
        public BlockRunProfile build() {
            return new BlockRunProfile(this);
        }

        private static Duration positiveSeconds(Duration duration, String name) {
            ensureNotNull(duration, name);
            if (duration.isNegative() || duration.isZero() || duration.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException(name + " must be a positive whole number of seconds, was " + duration);
            }
            return duration;
        }
    }
}
