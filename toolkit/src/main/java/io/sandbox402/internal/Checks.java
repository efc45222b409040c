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

    /**
     * Rejects a null argument.
     *
     * @param <T> the argument's type
     * @param value the argument to check
     * @param name the argument's name as the caller spells it, used in the message
     * @return {@code value}, never null, so the check can wrap an assignment
     * @throws IllegalArgumentException {@code "name == null"}
     */
    public static <T> T ensureNotNull(@Nullable T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " == null");
        }
        return value;
    }

    /**
     * Rejects a null, empty or whitespace-only string.
     *
     * @param value the argument to check
     * @param name the argument's name as the caller spells it, used in the message
     * @return {@code value}, unchanged (not trimmed)
     * @throws IllegalArgumentException {@code "name cannot be null or blank"}
     */
    public static String ensureNotBlank(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " cannot be null or blank");
        }
        return value;
    }

    /**
     * Rejects a null or empty collection; its elements are not checked.
     *
     * @param <C> the collection's type, kept so the caller gets it back as it was
     * @param value the argument to check
     * @param name the argument's name as the caller spells it, used in the message
     * @return {@code value}, unchanged
     * @throws IllegalArgumentException {@code "name cannot be null or empty"}
     */
    public static <C extends Collection<?>> C ensureNotEmpty(@Nullable C value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " cannot be null or empty");
        }
        return value;
    }

    /**
     * Rejects zero and negative values.
     *
     * @param value the argument to check
     * @param name the argument's name as the caller spells it, used in the message
     * @return {@code value}, at least 1
     * @throws IllegalArgumentException {@code "name must be positive, was 0"}
     */
    public static int ensurePositive(int value, String name) {
        if (value <= 0) {
            throw notPositive(name, value);
        }
        return value;
    }

    /**
     * Rejects zero and negative values.
     *
     * @param value the argument to check
     * @param name the argument's name as the caller spells it, used in the message
     * @return {@code value}, at least 1
     * @throws IllegalArgumentException {@code "name must be positive, was 0"}
     */
    public static long ensurePositive(long value, String name) {
        if (value <= 0) {
            throw notPositive(name, value);
        }
        return value;
    }

    /**
     * Rejects zero, negative values and NaN.
     *
     * @param value the argument to check
     * @param name the argument's name as the caller spells it, used in the message
     * @return {@code value}, greater than zero (possibly infinite)
     * @throws IllegalArgumentException {@code "name must be positive, was NaN"}: NaN is not positive either
     */
    public static double ensurePositive(double value, String name) {
        if (!(value > 0)) {
            throw notPositive(name, value);
        }
        return value;
    }

    /**
     * Rejects a null, zero or negative duration.
     *
     * @param value the argument to check
     * @param name the argument's name as the caller spells it, used in the message
     * @return {@code value}, longer than zero
     * @throws IllegalArgumentException when {@code value} is null, zero or negative
     */
    public static Duration ensurePositive(Duration value, String name) {
        ensureNotNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw notPositive(name, value);
        }
        return value;
    }

    /**
     * Rejects negative values; zero is allowed.
     *
     * @param value the argument to check
     * @param name the argument's name as the caller spells it, used in the message
     * @return {@code value}, zero or more
     * @throws IllegalArgumentException {@code "name cannot be negative, was -1"}
     */
    public static int ensureNotNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " cannot be negative, was " + value);
        }
        return value;
    }

    /**
     * Rejects a null or negative duration; zero is allowed.
     *
     * @param value the argument to check
     * @param name the argument's name as the caller spells it, used in the message
     * @return {@code value}, zero or longer
     * @throws IllegalArgumentException when {@code value} is null or negative
     */
    public static Duration ensureNotNegative(Duration value, String name) {
        ensureNotNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " cannot be negative, was " + value);
        }
        return value;
    }

    /**
     * Rejects values below a lower bound.
     *
     * @param value the argument to check
     * @param minimum the smallest accepted value, inclusive
     * @param name the argument's name as the caller spells it, used in the message
     * @return {@code value}, at least {@code minimum}
     * @throws IllegalArgumentException {@code "name must be at least 1024, was 10"}
     */
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
