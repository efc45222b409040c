package io.sandbox402.x402.internal;

import static io.sandbox402.internal.Checks.ensureNotBlank;

import io.sandbox402.x402.Network;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.crypto.Hash;

/**
 * An EIP-712 signing domain: {@code EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)}.
 *
 * <p>Immutable and thread-safe (the separator cache is concurrent).
 *
 * @param name the token's EIP-712 name, for instance {@code USD Coin}
 * @param version the token's EIP-712 version, for instance {@code 2}
 * @param chainId the chain, for instance 8453 for Base
 * @param verifyingContract the token contract
 */
public record Eip712Domain(String name, String version, long chainId, String verifyingContract) {

    private static final byte[] TYPE_HASH = Hash.sha3(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                    .getBytes(StandardCharsets.UTF_8));

    /**
     * Separators already computed. Few domains are ever signed in (one per network); a server
     * choosing a new name per 402 only makes the map start over at {@link #CACHED_DOMAINS}.
     */
    private static final Map<Eip712Domain, byte[]> SEPARATORS = new ConcurrentHashMap<>();
    private static final int CACHED_DOMAINS = 64;

    /**
     * Checks the components.
     *
     * @param name the token's EIP-712 name, for instance {@code USD Coin}
     * @param version the token's EIP-712 version, for instance {@code 2}
     * @param chainId the chain, for instance 8453 for Base
     * @param verifyingContract the token contract
     * @throws IllegalArgumentException when {@code name} or {@code version} is blank or
     *     {@code verifyingContract} is not an address
     */
    public Eip712Domain {
        ensureNotBlank(name, "name");
        ensureNotBlank(version, "version");
        Abi.address(verifyingContract, "verifyingContract");
    }

    /**
     * The USDC domain of {@code network}.
     *
     * @param network the chain to pay on
     * @return the domain of that chain's USDC contract, with its own EIP-712 name and version
     */
    public static Eip712Domain usdc(Network network) {
        return new Eip712Domain(network.eip712Name(), network.eip712Version(), network.chainId(), network.usdcAddress());
    }

    /** {@return the domain separator, {@code hashStruct(domain)}: 32 bytes, a fresh copy} */
    public byte[] separator() {
        return cachedSeparator().clone();
    }

    private byte[] cachedSeparator() {
        byte[] separator = SEPARATORS.get(this);
        if (separator == null) {
            if (SEPARATORS.size() >= CACHED_DOMAINS) {
                SEPARATORS.clear();
            }
            separator = computeSeparator();
            SEPARATORS.put(this, separator);
        }
        return separator;
    }

    private byte[] computeSeparator() {
        return Hash.sha3(Abi.concat(
                TYPE_HASH,
                Hash.sha3(name.getBytes(StandardCharsets.UTF_8)),
                Hash.sha3(version.getBytes(StandardCharsets.UTF_8)),
                Abi.uint256(java.math.BigInteger.valueOf(chainId)),
                Abi.address(verifyingContract, "verifyingContract")));
    }

    /**
     * The digest that is signed: {@code keccak256(0x1901 ‖ separator ‖ structHash)}.
     *
     * @param structHash the message's {@code hashStruct}, 32 bytes
     * @return the 32-byte digest
     */
    public byte[] digest(byte[] structHash) {
        return Hash.sha3(Abi.concat(new byte[] {0x19, 0x01}, cachedSeparator(), structHash));
    }
}
