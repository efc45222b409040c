package io.sandbox402.eval;

import static io.sandbox402.eval.RunnerScript.PREFIX;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the runner reported for one exec. Only lines carrying a valid HMAC under the key the runner
 * printed first count: a sample that writes to the exec's output (as the same user it can, through
 * {@code /proc}) cannot add or change a verdict.
 *
 * @param verdicts each sample's result ({@code passed}, {@code timed out} or {@code failed: ...}) by index
 * @param next where the runner stopped for lack of time, or -1
 * @param ended whether the runner reported the end of the batch
 * @param missingRunner whether the bootstrap found no runner (or a changed one)
 */
record BatchOutput(Map<Long, String> verdicts, int next, boolean ended, boolean missingRunner) {

    static BatchOutput parse(String stdout) {
        Map<Long, String> verdicts = new LinkedHashMap<>();
        Mac mac = null;
        int next = -1;
        boolean ended = false;
        boolean missing = false;
        for (String line : stdout.split("\n")) {
            if (!line.startsWith(PREFIX + " ")) {
                continue;
            }
            String rest = line.substring(PREFIX.length() + 1);
            if (rest.equals("missing-runner")) {
                missing = true;
                continue;
            }
            if (rest.startsWith("key ")) {
                if (mac == null) {
                    mac = mac(rest.substring(4).strip());
                }
                continue;
            }
            int space = rest.indexOf(' ');
            if (mac == null || space < 0) {
                continue;
            }
            String tag = rest.substring(0, space);
            String json = rest.substring(space + 1);
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(json.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, tag.getBytes(StandardCharsets.US_ASCII))) {
                continue;
            }
            JsonNode node = RunnerScript.parse(json);
            if (node == null) {
                continue;
            }
            if (node.has("i") && node.path("r").isTextual()) {
                verdicts.putIfAbsent(node.get("i").asLong(), node.get("r").asText());
            } else if (node.has("more")) {
                next = node.get("more").asInt();
            } else if (node.path("end").asBoolean(false)) {
                ended = true;
            }
        }
        return new BatchOutput(verdicts, next, ended, missing);
    }

    private static Mac mac(String hexKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(hexKey), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException | IllegalArgumentException e) {
            return null;
        }
    }
}
