package io.sandbox402.benchmarks;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.x402.Network;
import io.sandbox402.x402.Wallet;
import io.sandbox402.x402.internal.Authorization;
import io.sandbox402.x402.internal.Eip3009Signer;
import io.sandbox402.x402.internal.Eip712Domain;
import io.sandbox402.x402.internal.PaymentPayload;
import io.sandbox402.x402.internal.X402Codec;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * What a payment costs the client's CPU. The baseline is a bare secp256k1 signature of a 32-byte
 * hash with web3j ({@code Sign.signMessage}, which finds the recovery id by trial recovery);
 * {@code signAuthorizationWeb3j} is the signer as it was before issue 13 (EIP-712 hashing with the
 * domain separator recomputed, web3j's signature, hex), {@code signAuthorization} the signer now
 * (cached separator, recovery id from R's y parity), {@code signAndEncodeHeader} the whole
 * PAYMENT-SIGNATURE header. Report each as a ratio to {@code signAuthorizationWeb3j} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SignerBenchmark {
    /** Hardhat/Anvil account #0, a public development key. */
    static final String DEV_KEY = BlockRunEmulator.DEVELOPMENT_KEY;

    final Wallet wallet = Wallet.fromHex(DEV_KEY);
    final ECKeyPair keyPair = ECKeyPair.create(new BigInteger(DEV_KEY.substring(2), 16));
    final Eip3009Signer signer = new Eip3009Signer(wallet);
    final Eip712Domain domain = Eip712Domain.usdc(Network.BASE);
    final Authorization authorization = new Authorization(wallet.address(), "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            BigInteger.valueOf(1000), 1_763_870_000L, 1_763_870_300L, "0x" + "ab".repeat(32));
    final byte[] digest = Eip3009Signer.digest(domain, authorization);

    /** The two signers must agree byte for byte, or the comparison means nothing. */
    @Setup
    public void checkSameSignature() {
        if (!signAuthorizationWeb3j().equals(signAuthorization())) {
            throw new IllegalStateException("The signer and its web3j replica disagree: " + signAuthorization()
                    + " != " + signAuthorizationWeb3j());
        }
    }

    @Benchmark
    public Sign.SignatureData baselineSecp256k1Sign() {
        return Sign.signMessage(digest, keyPair, false);
    }

    /** The signer before issue 13, replicated: every hash recomputed, web3j's trial recovery. */
    @Benchmark
    public String signAuthorizationWeb3j() {
        byte[] separator = Hash.sha3(concat(DOMAIN_TYPE_HASH, Hash.sha3(utf8(domain.name())), Hash.sha3(utf8(domain.version())),
                word(BigInteger.valueOf(domain.chainId())), address(domain.verifyingContract())));
        byte[] structHash = Hash.sha3(concat(AUTHORIZATION_TYPE_HASH, address(authorization.from()), address(authorization.to()),
                word(authorization.value()), word(BigInteger.valueOf(authorization.validAfter())),
                word(BigInteger.valueOf(authorization.validBefore())), bytes32(authorization.nonce())));
        byte[] hash = Hash.sha3(concat(new byte[] {0x19, 0x01}, separator, structHash));
        Sign.SignatureData signature = Sign.signMessage(hash, keyPair, false);
        return Numeric.toHexString(concat(signature.getR(), signature.getS(), signature.getV()));
    }

    static final byte[] DOMAIN_TYPE_HASH = Hash.sha3(utf8(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
    static final byte[] AUTHORIZATION_TYPE_HASH = Hash.sha3(utf8(
            "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"));

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] word(BigInteger value) {
        return Numeric.toBytesPadded(value, 32);
    }

    /** As the old {@code Abi.address}: checked with {@code String.matches}, which compiles its pattern each time. */
    static byte[] address(String address) {
        if (!address.matches("0[xX][0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException(address);
        }
        return word(Numeric.toBigInt(address));
    }

    static byte[] bytes32(String hex) {
        if (!hex.matches("0[xX][0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(hex);
        }
        return Numeric.hexStringToByteArray(hex);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The signer now. */
    @Benchmark
    public String signAuthorization() {
        return signer.sign(domain, authorization);
    }

    @Benchmark
    public String signAndEncodeHeader() {
        String signature = signer.sign(domain, authorization);
        return X402Codec.encodePayment(new PaymentPayload(2, "exact", "eip155:8453", null, null, signature, authorization, null));
    }

    @Benchmark
    public String recover() {
        return Eip3009Signer.recover(domain, authorization, "0x2d6a7588d6acca505cbf0d9a4a227e0c52c6c34008c8e8986a1283259764173608a2ce6496642e377d6da8dbbf5836e9bd15092f9ecab05ded3d6293af148b571c");
    }
}
