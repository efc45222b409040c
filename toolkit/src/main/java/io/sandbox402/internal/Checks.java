package io.sandbox402.internal;

import java.util.Collection;
import org.jspecify.annotations.Nullable;

/** Argument checks with messages that name the argument, after LangChain4j's {@code ValidationUtils}. Stateless and thread-safe. */
public final class Checks {
    private Checks() {}

    public static <T> T ensureNotNull(@Nullable T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " == null");
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

    public static int ensurePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
