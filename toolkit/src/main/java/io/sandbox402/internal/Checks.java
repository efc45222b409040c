package io.sandbox402.internal;

import java.time.Duration;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks with messages that name the argument, after LangChain4j's {@code ValidationUtils}: a bad
 * option fails with an {@link IllegalArgumentException} that says which one and what it was, never with a
 * {@link NullPointerException} from deeper down. Not API: it may change in any release.
 */
public final class Checks {
    private Checks() {}

    /** @throws IllegalArgumentException {@code "name == null"} */
    public static <T> T ensureNotNull(@Nullable T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " == null");
        }
        return value;
    }

    public static String ensureNotBlank(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " cannot be null or blank");
        }
        return value;
    }

    public static <C extends Collection<?>> C ensureNotEmpty(@Nullable C value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " cannot be null or empty");
        }
        return value;
    }

    /** @throws IllegalArgumentException {@code "name must be positive, was 0"} */
    public static int ensurePositive(int value, String name) {
        if (value <= 0) {
            throw notPositive(name, value);
        }
        return value;
    }

    /** @throws IllegalArgumentException {@code "name must be positive, was 0"} */
    public static long ensurePositive(long value, String name) {
        if (value <= 0) {
            throw notPositive(name, value);
        }
        return value;
    }

    /** @throws IllegalArgumentException {@code "name must be positive, was NaN"}: NaN is not positive either */
    public static double ensurePositive(double value, String name) {
        if (!(value > 0)) {
            throw notPositive(name, value);
        }
        return value;
    }

    /** @throws IllegalArgumentException when {@code value} is null, zero or negative */
    public static Duration ensurePositive(Duration value, String name) {
        ensureNotNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw notPositive(name, value);
        }
        return value;
    }

    /** @throws IllegalArgumentException {@code "name cannot be negative, was -1"} */
    public static int ensureNotNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " cannot be negative, was " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException when {@code value} is null or negative */
    public static Duration ensureNotNegative(Duration value, String name) {
        ensureNotNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " cannot be negative, was " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException {@code "name must be at least 1024, was 10"} */
    public static long ensureAtLeast(long value, long minimum, String name) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
        }
        return value;
    }

    private static IllegalArgumentException notPositive(String name, Object value) {
        return new IllegalArgumentException(name + " must be positive, was " + value);
    }
}
