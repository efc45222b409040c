package io.sandbox402.x402;

import static io.sandbox402.internal.Checks.ensureNotNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Money in one place: USDC's atomic units (6 decimals: 1000 units are $0.001) to and from US dollars,
 * and the one way this project writes an amount for people to read.
 *
 * <pre>{@code
 * Usdc.toUsd(BigInteger.valueOf(15_000));   // 0.015
 * Usdc.format(new BigDecimal("0.0150"));    // "$0.015"
 * Usdc.format(BigDecimal.ONE);              // "$1.00"
 * Usdc.parse("$0.05", "--max-cost");        // 0.05
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Usdc {
    /** USDC's decimals on Base: an atomic unit is a millionth of a dollar. */
    public static final int DECIMALS = 6;

    private Usdc() {}

    /**
     * Converts atomic units to US dollars, exactly.
     *
     * @param atomic USDC units, a millionth of a dollar each
     * @return the amount in US dollars, with scale 6
     */
    public static BigDecimal toUsd(BigInteger atomic) {
        return new BigDecimal(ensureNotNull(atomic, "atomic"), DECIMALS);
    }

    /**
     * Converts US dollars to atomic units.
     *
     * @param usd the amount in US dollars
     * @return the amount in USDC units, a millionth of a dollar each
     * @throws ArithmeticException when it has more than six decimals (less than one unit)
     */
    public static BigInteger toAtomic(BigDecimal usd) {
        return ensureNotNull(usd, "usd").movePointRight(DECIMALS).toBigIntegerExact();
    }

    /**
     * A US dollar amount as people read it: a dollar sign, trailing zeros stripped but at least two
     * decimals, at most six (USDC's resolution, rounded half up): {@code $0.05}, {@code $0.015},
     * {@code $1.00}, {@code $0.0015}.
     *
     * @param usd the amount in US dollars; a negative one is written {@code -$0.05}
     * @return the amount as text
     */
    public static String format(BigDecimal usd) {
        BigDecimal value = ensureNotNull(usd, "usd").setScale(DECIMALS, RoundingMode.HALF_UP).stripTrailingZeros();
        if (value.scale() < 2) {
            value = value.setScale(2, RoundingMode.UNNECESSARY);
        }
        return value.signum() < 0 ? "-$" + value.negate().toPlainString() : "$" + value.toPlainString();
    }

    /**
     * Parses a non-negative US dollar amount such as {@code 0.05} or {@code $1}.
     *
     * @param text the amount, with or without a leading {@code $}
     * @param name what it is (a variable or option), for the error
     * @return the amount in US dollars, as precise as typed
     * @throws IllegalArgumentException when it is not a non-negative number
     */
    public static BigDecimal parse(String text, String name) {
        String trimmed = ensureNotNull(text, name).trim();
        if (trimmed.startsWith("$")) {
            trimmed = trimmed.substring(1);
        }
        try {
            BigDecimal usd = new BigDecimal(trimmed);
            if (usd.signum() < 0) {
                throw new NumberFormatException();
            }
            return usd;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative amount in US dollars such as 0.05, was '" + text + "'.");
        }
    }
}
