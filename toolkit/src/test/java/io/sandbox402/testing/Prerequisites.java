package io.sandbox402.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A test's prerequisite (bubblewrap, node): on a developer's machine a missing one skips the test
 * with a loud reason; with {@code CI=true} it fails the test, so CI never passes by skipping.
 */
public final class Prerequisites {
    private Prerequisites() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void require(boolean present, String whatIsMissing) {
        if (present) {
            return;
        }
        String message = "Prerequisite missing: " + whatIsMissing;
        if (inCi()) {
            fail(message + " (CI=true makes every prerequisite mandatory; .ci/run should install it)");
        }
        System.err.println("SKIPPED: " + message);
        assumeTrue(false, message);
    }
}
