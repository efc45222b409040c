package io.sandbox402.x402;

import com.fasterxml.jackson.databind.JsonNode;
import io.sandbox402.x402.internal.Abi;
import io.sandbox402.x402.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.KeyParameter;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Decrypts Web3 Secret Storage (version 3) keystores, the files geth, web3j and MetaMask export:
 * scrypt or PBKDF2-HMAC-SHA256, then AES-128-CTR, checked by {@code keccak256(dk[16..32] ‖ ciphertext)}.
 * web3j's {@code crypto} artifact does not ship its keystore reader, hence this class.
 */
final class Keystore {
    private Keystore() {}

    /** The private key, or an {@link IllegalArgumentException} that names the file but no secret. */
    static byte[] decrypt(Path file, String password) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read keystore " + file + ": not JSON (" + e.getMessage() + ").");
        }
        JsonNode crypto = root.has("crypto") ? root.get("crypto") : root.get("Crypto");
        if (root.path("version").asInt() != 3 || crypto == null) {
            throw new IllegalArgumentException("Keystore " + file + " is not a version 3 keystore.");
        }
        String cipher = crypto.path("cipher").asText();
        if (!"aes-128-ctr".equals(cipher)) {
            throw new IllegalArgumentException("Keystore " + file + " uses cipher '" + cipher + "'; only aes-128-ctr is supported.");
        }
        byte[] derived = deriveKey(file, crypto.path("kdf").asText(), crypto.path("kdfparams"),
                password.getBytes(StandardCharsets.UTF_8));
        byte[] ciphertext = Numeric.hexStringToByteArray(crypto.path("ciphertext").asText());
        byte[] mac = Hash.sha3(Abi.concat(Arrays.copyOfRange(derived, 16, 32), ciphertext));
        if (!MessageDigest.isEqual(mac, Numeric.hexStringToByteArray(crypto.path("mac").asText()))) {
            throw new IllegalArgumentException("Cannot decrypt keystore " + file + ": wrong password or damaged file.");
        }
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(derived, 0, 16), "AES"),
                    new IvParameterSpec(Numeric.hexStringToByteArray(crypto.path("cipherparams").path("iv").asText())));
            return aes.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot decrypt keystore " + file + ": " + e.getMessage());
        }
    }

    private static byte[] deriveKey(Path file, String kdf, JsonNode params, byte[] password) {
        byte[] salt = Numeric.hexStringToByteArray(params.path("salt").asText());
        int length = params.path("dklen").asInt(32);
        if ("scrypt".equals(kdf)) {
            return SCrypt.generate(password, salt, params.path("n").asInt(), params.path("r").asInt(),
                    params.path("p").asInt(), length);
        }
        if ("pbkdf2".equals(kdf)) {
            if (!"hmac-sha256".equals(params.path("prf").asText())) {
                throw new IllegalArgumentException("Keystore " + file + " uses PBKDF2 with '"
                        + params.path("prf").asText() + "'; only hmac-sha256 is supported.");
            }
            PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
            generator.init(password, salt, params.path("c").asInt());
            return ((KeyParameter) generator.generateDerivedParameters(length * 8)).getKey();
        }
        throw new IllegalArgumentException("Keystore " + file + " uses key derivation '" + kdf + "'; use scrypt or pbkdf2.");
    }
}
