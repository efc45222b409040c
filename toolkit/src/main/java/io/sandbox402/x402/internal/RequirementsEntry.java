package io.sandbox402.x402.internal;

import java.util.Map;

/**
 * An {@code accepts} entry as a version 2 server writes it, for {@link Json#MAPPER} to turn into the
 * raw entry a {@link PaymentRequirements} echoes. Immutable.
 *
 * @param scheme the payment scheme
 * @param network the network's name
 * @param amount atomic units, as a decimal string
 * @param asset the token contract
 * @param payTo the payee
 * @param maxTimeoutSeconds how long an authorization may live
 * @param extra the token's EIP-712 name and version
 */
record RequirementsEntry(String scheme, String network, String amount, String asset, String payTo, int maxTimeoutSeconds,
        Map<String, Object> extra) {}
