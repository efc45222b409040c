package io.sandbox402.x402;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** USDC has 6 decimals: 1000 atomic units are $0.001. */
final class Usdc {
    static final int DECIMALS = 6;

    private Usdc() {}

    static BigDecimal toUsd(BigInteger atomic) {
        return new BigDecimal(atomic, DECIMALS);
    }

    static String format(BigDecimal usd) {
        return "$" + usd.setScale(Math.max(4, usd.stripTrailingZeros().scale()), RoundingMode.UNNECESSARY).toPlainString();
    }
}
