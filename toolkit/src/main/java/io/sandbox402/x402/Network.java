package io.sandbox402.x402;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The chains sandbox402 pays on, each with its USDC contract and that contract's EIP-712 domain.
 * The domain name differs per chain ({@code USD Coin} on Base, {@code USDC} on Base Sepolia), the
 * most common cause of signatures that do not verify.
 *
 * <p>Immutable and thread-safe.
 */
public enum Network {
    /** Base mainnet (chain 8453): real USDC. */
    BASE("eip155:8453", "base", 8453, "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "USD Coin", "2"),
    /** Base Sepolia testnet (chain 84532): test USDC from a faucet; opt-in in {@link PaymentPolicy}. */
    BASE_SEPOLIA("eip155:84532", "base-sepolia", 84532, "0x036CbD53842c5426634e7929541eC2318f3dCF7e", "USDC", "2");

    private final String caip2;
    private final String v1Name;
    private final long chainId;
    private final String usdcAddress;
    private final String eip712Name;
    private final String eip712Version;

    Network(String caip2, String v1Name, long chainId, String usdcAddress, String eip712Name, String eip712Version) {
        this.caip2 = caip2;
        this.v1Name = v1Name;
        this.chainId = chainId;
        this.usdcAddress = usdcAddress;
        this.eip712Name = eip712Name;
        this.eip712Version = eip712Version;
    }

    /** {@return the x402 version 2 (CAIP-2) name, for instance {@code eip155:8453}} */
    public String caip2() {
        return caip2;
    }

    /** {@return the x402 version 1 name, for instance {@code base}} */
    public String v1Name() {
        return v1Name;
    }

    /** {@return the EIP-155 chain id, the EIP-712 domain's {@code chainId}} */
    public long chainId() {
        return chainId;
    }

    /** {@return the USDC contract, the EIP-712 {@code verifyingContract} of its transfer authorizations} */
    public String usdcAddress() {
        return usdcAddress;
    }

    /** {@return the EIP-712 domain {@code name} of this chain's USDC contract} It differs per chain. */
    public String eip712Name() {
        return eip712Name;
    }

    /** {@return the EIP-712 domain {@code version} of this chain's USDC contract} */
    public String eip712Version() {
        return eip712Version;
    }

    /**
     * The network's name in the given x402 version.
     *
     * @param x402Version the protocol version of the message; 1 gives the version 1 name, any other the CAIP-2 one
     * @return the name to put in that message
     */
    public String id(int x402Version) {
        return x402Version == 1 ? v1Name : caip2;
    }

    /**
     * Finds a network by its version 2 or version 1 name, ignoring case.
     *
     * @param id a name such as {@code eip155:8453} or {@code base}, surrounding whitespace ignored; may be null
     * @return the network, or empty when the name is null or unknown
     */
    public static Optional<Network> fromId(@Nullable String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Network network : values()) {
            if (network.caip2.equals(wanted) || network.v1Name.equals(wanted)) {
                return Optional.of(network);
            }
        }
        return Optional.empty();
    }
}
