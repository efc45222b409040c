package io.sandbox402.sandbox;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Files, code and packages built on {@link Sandbox#exec}, the same for every provider. BlockRun has
 * no file API and no stdin, so bytes travel as base64 arguments of {@code sh -c}. Each exec is a paid
 * call on BlockRun, so the chunks are as large as argument limits allow: Linux caps one argument at
 * 128 KiB ({@code MAX_ARG_STRLEN}) and all of them at 2 MiB ({@code ARG_MAX}), hence 96 KiB arguments,
 * ten to an exec.
 */
final class SandboxFiles {
    static final int ARGUMENT_CHARS = 96 * 1024;
    static final int ARGUMENTS_PER_EXEC = 10;
    /** Raw bytes read per exec: 512 KiB is 683 KiB of base64, within every provider's output cap. */
    static final int READ_CHUNK_BYTES = 512 * 1024;
    /** The smallest chunk tried when a provider caps output lower: 8 KiB, 11 KiB of base64. */
    static final int MIN_READ_CHUNK_BYTES = 8 * 1024;
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-\\[\\],<>=!~]*");
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(300);
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private SandboxFiles() {}

    static void write(Sandbox sandbox, String path, byte[] content) {
        String file = shellSafe(path);
        List<String> arguments = split(Base64.getEncoder().encodeToString(content));
        int execs = Math.max(1, (arguments.size() + ARGUMENTS_PER_EXEC - 1) / ARGUMENTS_PER_EXEC);
        for (int i = 0; i < execs; i++) {
            List<String> batch = arguments.subList(Math.min(arguments.size(), i * ARGUMENTS_PER_EXEC),
                    Math.min(arguments.size(), (i + 1) * ARGUMENTS_PER_EXEC));
            StringBuilder script = new StringBuilder("set -e; f=\"$1\"; shift; ");
            if (i == 0) {
                script.append("mkdir -p -- \"$(dirname -- \"$f\")\"; : > \"$f.b64part\"; ");
            }
            script.append("for c in \"$@\"; do printf %s \"$c\" >> \"$f.b64part\"; done; ");
            if (i == execs - 1) {
                script.append("base64 -d \"$f.b64part\" > \"$f\"; rm -f \"$f.b64part\"");
            }
            List<String> command = new ArrayList<>(List.of("sh", "-c", script.toString(), "sh", file));
            command.addAll(batch);
            ExecResult result = sandbox.exec(new ExecRequest(command, null));
            if (!result.succeeded()) {
                throw new SandboxException("Cannot write " + path + " in sandbox " + sandbox.id() + " (exit code "
                        + result.exitCode() + "): " + result.stderr().strip());
            }
        }
    }

    static byte[] read(Sandbox sandbox, String path) {
        String file = shellSafe(path);
        ExecResult size = sandbox.exec(new ExecRequest(List.of("sh", "-c", "wc -c < \"$1\"", "sh", file), null));
        if (!size.succeeded()) {
            throw new SandboxException("Cannot read " + path + " in sandbox " + sandbox.id() + ": "
                    + (size.stderr().isBlank() ? "it does not exist or is not readable" : size.stderr().strip()) + ".");
        }
        long length = Long.parseLong(size.stdout().strip());
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(length, Integer.MAX_VALUE - 8));
        int chunkBytes = READ_CHUNK_BYTES;
        long offset = 0;
        while (offset < length) {
            int expected = (int) Math.min(chunkBytes, length - offset);
            ExecResult chunk = sandbox.exec(new ExecRequest(List.of("sh", "-c",
                    "tail -c +$(($2 + 1)) \"$1\" | head -c $3 | base64 | tr -d '\\n'",
                    "sh", file, Long.toString(offset), Integer.toString(chunkBytes)), null));
            byte[] bytes = chunk.succeeded() && !chunk.truncated() ? decode(chunk.stdout()) : null;
            if (bytes != null && bytes.length == expected) {
                out.writeBytes(bytes);
                offset += expected;
            } else if ((chunk.succeeded() || chunk.truncated()) && chunkBytes > MIN_READ_CHUNK_BYTES) {
                // Cut short: the provider caps output below this chunk's base64 (and may stop the command). Ask for less.
                chunkBytes /= 4;
            } else {
                throw new SandboxException("Cannot read " + path + " in sandbox " + sandbox.id() + " at byte " + offset
                        + " of " + length + " (exit code " + chunk.exitCode() + (chunk.truncated() ? ", output truncated" : "")
                        + "): " + chunk.stderr().strip());
            }
        }
        return out.toByteArray();
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return null; // cut short
        }
    }

    static ExecResult runCode(Sandbox sandbox, Language language, String code) {
        String encoded = Base64.getEncoder().encodeToString(code.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (encoded.length() <= ARGUMENT_CHARS) {
            // One exec: decode into /tmp and run it, so small programs cost one call. A random name keeps
            // concurrent runs in one sandbox apart.
            String file = "/tmp/sandbox402-" + Long.toHexString(RANDOM.nextLong()) + "." + language.extension();
            return sandbox.exec(new ExecRequest(List.of("sh", "-c",
                    "printf %s \"$1\" | base64 -d > " + file + " && exec " + language.interpreter() + " " + file,
                    "sh", encoded), null));
        }
        String file = ".sandbox402/main." + language.extension();
        write(sandbox, file, code.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return sandbox.exec(ExecRequest.of(language.interpreter(), file));
    }

    static ExecResult install(Sandbox sandbox, List<String> packages) {
        if (packages.isEmpty()) {
            throw new IllegalArgumentException("packages cannot be empty");
        }
        for (String name : packages) {
            if (name == null || !PACKAGE.matcher(name).matches()) {
                throw new IllegalArgumentException("Not a pip requirement: '" + name
                        + "'. Use a package name with an optional version, such as numpy or pandas==2.2.3.");
            }
        }
        List<String> command = new ArrayList<>(List.of("python3", "-m", "pip", "install", "--quiet",
                "--disable-pip-version-check", "--user"));
        command.addAll(packages);
        return sandbox.exec(new ExecRequest(command, INSTALL_TIMEOUT));
    }

    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); i += ARGUMENT_CHARS) {
            parts.add(text.substring(i, Math.min(text.length(), i + ARGUMENT_CHARS)));
        }
        return parts;
    }

    /** {@code path}, checked, with {@code ./} before a name that {@code base64} or {@code tail} would take for an option. */
    private static String shellSafe(String path) {
        if (path == null || path.isBlank() || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path cannot be null, blank or contain NUL");
        }
        return path.startsWith("-") ? "./" + path : path;
    }
}
