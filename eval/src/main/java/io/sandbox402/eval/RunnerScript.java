package io.sandbox402.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.sandbox.ExecRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The Python runner that evaluates a batch inside a sandbox, and the commands that carry it there.
 * Every command fits BlockRun's exec limits: at most {@value #MAX_SEGMENTS} argv segments of at most
 * {@value #MAX_SEGMENT_CHARS} characters. The runner is uploaded once per sandbox (zlib, base64,
 * split into segments) to {@code ~/.sandbox402-eval/runner.py}; each batch command carries a small
 * bootstrap that checks the file's SHA-256 before running it, so a sample that rewrote the runner
 * is caught (the bootstrap exits {@value #MISSING_RUNNER_EXIT} and the runner is uploaded again).
 */
final class RunnerScript {
    /** BlockRun's public beta: "command: at most 32 segments of at most 2000 characters each". */
    static final int MAX_SEGMENTS = 32;
    static final int MAX_SEGMENT_CHARS = 2000;
    static final int MISSING_RUNNER_EXIT = 86;
    static final String PREFIX = "SANDBOX402-EVAL";

    private static final String BOOTSTRAP = String.join("\n",
            "import hashlib, os, sys",
            "p = os.path.join(os.path.expanduser('~'), '.sandbox402-eval', 'runner.py')",
            "try:",
            "    s = open(p, 'rb').read()",
            "except OSError:",
            "    s = b''",
            "if hashlib.sha256(s).hexdigest() != sys.argv[1]:",
            "    print('" + PREFIX + " missing-runner', flush=True)",
            "    sys.exit(" + MISSING_RUNNER_EXIT + ")",
            "exec(compile(s, p, 'exec'), {'__name__': 'sandbox402_eval_runner', 'ARGS': sys.argv[2:]})");

    private static final String UPLOAD = String.join("\n",
            "import base64, hashlib, os, sys, zlib",
            "d = os.path.join(os.path.expanduser('~'), '.sandbox402-eval')",
            "os.makedirs(d, mode=0o700, exist_ok=True)",
            "s = zlib.decompress(base64.b64decode(''.join(sys.argv[2:])))",
            "assert hashlib.sha256(s).hexdigest() == sys.argv[1], 'corrupted upload'",
            "t = os.path.join(d, 'runner.py.%d' % os.getpid())",
            "with open(t, 'wb') as f:",
            "    f.write(s)",
            "os.replace(t, os.path.join(d, 'runner.py'))",
            "print('" + PREFIX + " uploaded')");

    /** The fixed head of a batch command: {@code python3 -I -c BOOTSTRAP SHA256}. */
    static final int BATCH_FIXED_SEGMENTS = 5;
    /** Characters of compressed, base64 batch a command can carry. */
    static final int BATCH_PAYLOAD_CHARS = (MAX_SEGMENTS - BATCH_FIXED_SEGMENTS) * MAX_SEGMENT_CHARS;

    private final String source;
    private final String sha256;

    private RunnerScript(String source) {
        this.source = source;
        this.sha256 = sha256(source.getBytes(StandardCharsets.UTF_8));
    }

    static RunnerScript load() {
        try (InputStream in = RunnerScript.class.getResourceAsStream("runner.py")) {
            if (in == null) {
                throw new IllegalStateException("runner.py is missing from the eval jar");
            }
            return new RunnerScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String sha256() {
        return sha256;
    }

    /** The command that writes the runner into the sandbox. */
    ExecRequest upload() {
        List<String> command = new ArrayList<>(List.of("python3", "-I", "-c", UPLOAD, sha256));
        command.addAll(segments(compressBase64(source.getBytes(StandardCharsets.UTF_8))));
        return checked(new ExecRequest(command, Duration.ofSeconds(30)));
    }

    /**
     * The command that runs {@code samples} from {@code start} on.
     *
     * @param payload the batch, from {@link #payload}
     */
    ExecRequest batch(String payload, Duration timeout) {
        List<String> command = new ArrayList<>(List.of("python3", "-I", "-c", BOOTSTRAP, sha256));
        command.addAll(segments(payload));
        return checked(new ExecRequest(command, timeout));
    }

    /** The compressed, base64 JSON the runner decodes. */
    static String payload(EvalSettings settings, List<PendingSample> samples, int start) {
        ObjectNode request = Jsonl.JSON.createObjectNode();
        request.put("timeout", settings.sampleTimeout().toMillis() / 1000.0);
        request.put("budget", settings.runnerBudget().toMillis() / 1000.0);
        request.put("memory_mb", settings.memoryMb());
        request.put("output_bytes", settings.maxOutputBytes());
        request.put("start", start);
        ArrayNode array = request.putArray("samples");
        for (PendingSample sample : samples) {
            array.addObject().put("i", sample.index()).put("a", sample.head()).put("b", sample.tail());
        }
        return compressBase64(request.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String compressBase64(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (DeflaterOutputStream deflater = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
            deflater.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    static List<String> segments(String text) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); i += MAX_SEGMENT_CHARS) {
            parts.add(text.substring(i, Math.min(text.length(), i + MAX_SEGMENT_CHARS)));
        }
        return parts;
    }

    private static ExecRequest checked(ExecRequest request) {
        if (request.command().size() > MAX_SEGMENTS) {
            throw new IllegalStateException("A command of " + request.command().size() + " segments exceeds BlockRun's "
                    + MAX_SEGMENTS);
        }
        for (String segment : request.command()) {
            if (segment.length() > MAX_SEGMENT_CHARS) {
                throw new IllegalStateException("A segment of " + segment.length() + " characters exceeds BlockRun's "
                        + MAX_SEGMENT_CHARS);
            }
        }
        return request;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a verdict line's JSON. */
    static JsonNode parse(String json) {
        try {
            return Jsonl.JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}
