package io.sandbox402.internal;

import java.util.Collection;

/** Argument checks with messages that name the argument, after LangChain4j's {@code ValidationUtils}. */
public final class Checks {
    private Checks() {}

    public static <T> T ensureNotNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " == null");
        }
        return value;
    }

    public static String ensureNotBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " cannot be null or blank");
        }
        return value;
    }

    public static <C extends Collection<?>> C ensureNotEmpty(C value, String name) {
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
