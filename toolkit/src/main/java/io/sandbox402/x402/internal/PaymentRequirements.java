package io.sandbox402.x402.internal;

import static io.sandbox402.internal.Checks.ensureNotBlank;
import static io.sandbox402.internal.Checks.ensureNotNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.Network;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One way to pay that a 402 offers (an entry of its {@code accepts}).
 *
 * <p>Immutable (its raw entry is copied in and out) and thread-safe.
 *
 * @param scheme the payment scheme; this client pays {@code exact}
 * @param network the network's name as sent, for instance {@code eip155:8453} or {@code base}
 * @param amount the price in the asset's atomic units (version 1's {@code maxAmountRequired})
 * @param asset the token contract
 * @param payTo the payee
 * @param maxTimeoutSeconds how long a signed authorization stays valid
 * @param extra scheme-specific data, for EVM the token's EIP-712 {@code name} and {@code version}; {@code null} for none
 * @param raw the entry exactly as received, echoed unchanged as {@code accepted}; {@code null} to build it from the other fields
 */
public record PaymentRequirements(
        String scheme,
        String network,
        BigInteger amount,
        String asset,
        String payTo,
        int maxTimeoutSeconds,
        @Nullable Map<String, Object> extra,
        @Nullable ObjectNode raw) {

    /** The scheme this client pays: a fixed amount moved by one EIP-3009 authorization. */
    public static final String EXACT = "exact";

    /** How long authorizations live when the server does not say, as the reference server's default. */
    static final int DEFAULT_TIMEOUT_SECONDS = 300;

    /**
     * Checks the components and copies {@code extra} and {@code raw}; a null {@code raw} is built from the other fields.
     *
     * @param scheme the payment scheme; this client pays {@code exact}
     * @param network the network's name as sent, for instance {@code eip155:8453} or {@code base}
     * @param amount the price in the asset's atomic units (version 1's {@code maxAmountRequired})
     * @param asset the token contract
     * @param payTo the payee
     * @param maxTimeoutSeconds how long a signed authorization stays valid
     * @param extra scheme-specific data, for EVM the token's EIP-712 {@code name} and {@code version}; {@code null} for none
     * @param raw the entry exactly as received, echoed unchanged as {@code accepted}; {@code null} to build it from the other fields
     * @throws IllegalArgumentException when a string is blank, {@code amount} is not a uint256 or
     *     {@code maxTimeoutSeconds} is not positive
     */
    public PaymentRequirements {
        ensureNotBlank(scheme, "scheme");
        ensureNotBlank(network, "network");
        ensureNotNull(amount, "amount");
        ensureNotBlank(asset, "asset");
        ensureNotBlank(payTo, "payTo");
        if (amount.signum() < 0 || !Abi.isUint256(amount)) {
            throw new IllegalArgumentException("amount must be a uint256, was " + amount);
        }
        if (maxTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("maxTimeoutSeconds must be positive, was " + maxTimeoutSeconds);
        }
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        if (raw == null) {
            raw = X402Codec.requirementsNode(scheme, network, amount, asset, payTo, maxTimeoutSeconds, extra);
        } else {
            raw = raw.deepCopy();
        }
    }

    /** {@return the extra data; never null (empty when the server sent none)} */
    @Override
    public Map<String, Object> extra() {
        return extra == null ? Map.of() : extra;
    }

    /** {@return a copy of the entry as received} A copy, so the record stays immutable. */
    @Override
    public ObjectNode raw() {
        return raw == null ? Json.MAPPER.createObjectNode() : raw.deepCopy();
    }

    /**
     * A version 2 {@code exact} USDC entry, as a server offers it, valid for the reference server's 300 seconds.
     *
     * @param network the chain; gives the USDC contract and its EIP-712 name and version
     * @param amount the price in USDC units, a millionth of a dollar each
     * @param payTo the payee's {@code 0x} address
     * @return the entry
     */
    public static PaymentRequirements exact(Network network, BigInteger amount, String payTo) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("name", network.eip712Name());
        extra.put("version", network.eip712Version());
        return new PaymentRequirements(EXACT, network.caip2(), amount, network.usdcAddress(), payTo,
                DEFAULT_TIMEOUT_SECONDS, extra, null);
    }

    /**
     * The EIP-712 domain to sign in: the token's name and version from {@code extra}, else the network's.
     *
     * @param known the network this entry's {@code network} names; gives the chain id and the fallback name and version
     * @return the domain, with this entry's {@code asset} as verifying contract
     */
    public Eip712Domain domain(Network known) {
        Object name = extra.get("name");
        Object version = extra.get("version");
        return new Eip712Domain(
                name instanceof String && !((String) name).isBlank() ? (String) name : known.eip712Name(),
                version instanceof String && !((String) version).isBlank() ? (String) version : known.eip712Version(),
                known.chainId(),
                asset);
    }
}
