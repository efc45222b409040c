package io.sandbox402.x402;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What a server asks before anything is signed, as a {@link PaymentConfirmation} sees it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param method the HTTP method of the paid request
 * @param url its URL
 * @param network where it would be paid
 * @param payTo the payee
 * @param amount atomic USDC units
 * @param usd the same in US dollars
 */
public record PaymentQuote(String method, String url, Network network, String payTo, BigInteger amount, BigDecimal usd) {

    /** {@return the price as people read it, for instance {@code $0.001}} See {@link Usdc#format(BigDecimal)}. */
    public String price() {
        return Usdc.format(usd);
    }
}
