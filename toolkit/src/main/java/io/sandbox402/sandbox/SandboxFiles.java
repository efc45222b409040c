package io.sandbox402.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Files, code and packages built on {@link Sandbox#exec}, the same for every provider and within its
 * {@link SandboxLimits}. BlockRun has no file API and no stdin, so bytes travel as exec arguments, and
 * each exec is a paid call: the bytes are zlib-compressed when that makes them shorter, then encoded in
 * base85 (5 characters per 4 bytes), and every exec is filled to its limits. The command is
 * {@code python3 -c<script> <data>...}: the script, with data inline after it, fills the second
 * segment, and data fills every other one (on BlockRun's public beta: 30 × 2000 characters plus about
 * 1,500 inline, some 49 KB of incompressible bytes per exec). Reads return up to 512 KiB per exec in
 * base64 (no argument limit applies to output), the answer checked against what was asked for, never
 * sized by what the sandbox claims.
 *
 * <p>Python 3 does the decoding in the sandbox: BlockRun's only image is {@code python:3.11}.
 */
final class SandboxFiles {
    /** Raw bytes read per exec: 512 KiB is 683 KiB of base64, within every provider's output cap. */
    static final int READ_CHUNK_BYTES = 512 * 1024;
    /** The smallest chunk tried when a provider caps output lower: 8 KiB. */
    static final int MIN_READ_CHUNK_BYTES = 8 * 1024;
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-\\[\\],<>=!~]*");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String INLINE = "@INLINE@";

    private SandboxFiles() {}

    static void write(Sandbox sandbox, String path, byte[] content) {
        List<ExecRequest> execs = writeExecs(sandbox.limits(), checked(path), content, null);
        for (ExecRequest exec : execs) {
            ExecResult result = sandbox.exec(exec);
            if (!result.succeeded()) {
                throw new SandboxException("Cannot write " + path + " in sandbox " + sandbox.id() + " (exit code "
                        + result.exitCode() + (result.timedOut() ? ", timed out" : "") + "): " + lastLine(result.stderr()));
            }
        }
    }

    /**
     * The execs that write {@code content} to {@code path}; with an {@code interpreter}, the last one then
     * runs the file with it (so a program costs no extra exec), with the exec timeout {@code runTimeout}.
     */
    static List<ExecRequest> writeExecs(SandboxLimits limits, String path, byte[] content, String interpreter) {
        byte[] compressed = deflate(content);
        boolean zipped = compressed.length < content.length;
        String data = Base85.encode(zipped ? compressed : content);
        String hexPath = HexFormat.of().formatHex(path.getBytes(StandardCharsets.UTF_8));
        List<ExecRequest> execs = new ArrayList<>();
        int offset = 0;
        for (boolean first = true; first || offset < data.length(); first = false) {
            // Size the exec for the longer of its two possible scripts (last or not), then decide whether it is last.
            int scriptChars = Math.max(script(hexPath, first, true, zipped, interpreter).length(),
                    script(hexPath, first, false, zipped, interpreter).length());
            int inline = limits.maxSegmentChars() - 2 - scriptChars + INLINE.length();
            if (inline < 0) {
                throw new SandboxLimitException("The path " + path + " is too long to write within the provider's limit of "
                        + limits.maxSegmentChars() + " characters per segment; use a shorter path.");
            }
            long room = inline + Math.min((long) (limits.maxCommandSegments() - 2) * limits.maxSegmentChars(),
                    (long) limits.maxCommandChars() - "python3".length() - limits.maxSegmentChars());
            int take = (int) Math.min(data.length() - offset, room);
            boolean last = offset + take >= data.length();
            if (!last) {
                take -= take % 5; // base85 groups stay whole, so each exec decodes its own part
            }
            String part = data.substring(offset, offset + take);
            offset += take;
            int inlined = Math.min(inline, part.length());
            List<String> command = new ArrayList<>();
            command.add("python3");
            command.add("-c" + script(hexPath, first, last, zipped, interpreter).replace(INLINE, part.substring(0, inlined)));
            for (int i = inlined; i < part.length(); i += limits.maxSegmentChars()) {
                command.add(part.substring(i, Math.min(part.length(), i + limits.maxSegmentChars())));
            }
            execs.add(new ExecRequest(command, interpreter != null && last ? null : fileTimeout(limits)));
        }
        return execs;
    }

    /** The Python that decodes one exec's part; {@code q} collects parts until the last one. */
    private static String script(String hexPath, boolean first, boolean last, boolean zipped, String interpreter) {
        StringBuilder s = new StringBuilder("import sys,os,zlib,base64\np=bytes.fromhex('").append(hexPath)
                .append("');q=p+b'.s402part'\nd=base64.b85decode('").append(INLINE).append("'+''.join(sys.argv[1:]))\n");
        if (first) {
            s.append("os.makedirs(os.path.dirname(p) or b'.',exist_ok=True)\n");
        }
        if (first && last) {
            s.append("open(p,'wb').write(").append(zipped ? "zlib.decompress(d)" : "d").append(")\n");
        } else {
            s.append("open(q,'").append(first ? 'w' : 'a').append("b').write(d)\n");
            if (last) {
                s.append(zipped ? "open(p,'wb').write(zlib.decompress(open(q,'rb').read()));os.remove(q)\n" : "os.replace(q,p)\n");
            }
        }
        if (last && interpreter != null) {
            s.append("sys.stdout.flush();os.execvp('").append(interpreter).append("',['").append(interpreter).append("',p])\n");
        }
        return s.toString();
    }

    static byte[] read(Sandbox sandbox, String path, long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes cannot be negative, was " + maxBytes);
        }
        String hexPath = HexFormat.of().formatHex(checked(path).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int chunkBytes = READ_CHUNK_BYTES;
        long offset = 0;
        while (true) {
            long room = maxBytes - offset; // one byte more than the cap is asked for, to see that a file exceeds it
            int ask = (int) Math.min(chunkBytes, room == Long.MAX_VALUE ? room : room + 1);
            ExecResult chunk = sandbox.exec(new ExecRequest(List.of("python3", "-c", "import sys,os,zlib,base64\n"
                    + "p=bytes.fromhex('" + hexPath + "');o=" + offset + ";n=" + ask + ";M=" + maxBytes + "\n"
                    + "s=os.stat(p).st_size;d=b'';e=0\n"
                    + "if s<=M:\n with open(p,'rb') as f:f.seek(o);d=f.read(n);e=int(f.read(1)==b'')\n"
                    + "c=zlib.compress(d,6);k=int(len(c)<len(d))\n"
                    + "sys.stdout.write('%d %d %d %d\\n'%(s,len(d),k,e)+base64.b64encode(c if k else d).decode())\n"),
                    fileTimeout(sandbox.limits())));
            if (!chunk.succeeded() && !chunk.truncated()) {
                throw new SandboxException("Cannot read " + path + " in sandbox " + sandbox.id() + ": "
                        + (offset == 0 ? "" : "at byte " + offset + ", ") + describeFailure(chunk) + ".");
            }
            Chunk parsed = Chunk.parse(chunk.stdout(), ask);
            if (parsed == null || chunk.truncated()) {
                if (chunkBytes > MIN_READ_CHUNK_BYTES) {
                    chunkBytes /= 4; // cut short: the provider caps output below this chunk's encoding; ask for less
                    continue;
                }
                throw new SandboxException("Cannot read " + path + " in sandbox " + sandbox.id() + " at byte " + offset
                        + ": the sandbox's answer is not a well-formed chunk even for " + MIN_READ_CHUNK_BYTES + " bytes"
                        + (chunk.truncated() ? " (output truncated)" : "") + ": " + abbreviate(chunk.stdout()));
            }
            if (parsed.size() > maxBytes) {
                throw tooLarge(sandbox, path, "is " + parsed.size() + " bytes", maxBytes);
            }
            out.write(parsed.bytes(), 0, parsed.bytes().length);
            offset += parsed.bytes().length;
            if (offset > maxBytes) {
                throw tooLarge(sandbox, path, "holds more than its reported " + parsed.size() + " bytes", maxBytes);
            }
            if (parsed.eof()) {
                return out.toByteArray();
            }
            if (parsed.bytes().length == 0) {
                throw new SandboxException("Cannot read " + path + " in sandbox " + sandbox.id() + " at byte " + offset
                        + ": the sandbox returned no bytes and no end of file.");
            }
        }
    }

    private static SandboxException tooLarge(Sandbox sandbox, String path, String what, long maxBytes) {
        return new SandboxException("Cannot read " + path + " in sandbox " + sandbox.id() + ": it " + what
                + ", above the read cap of " + maxBytes + " bytes. Read it with readFile(path, maxBytes) and a larger"
                + " maxBytes, or read a part of it (head, tail, a query) with exec.");
    }

    /** One read exec's answer: {@code size len zipped eof} then base64, each value checked. */
    record Chunk(long size, byte[] bytes, boolean eof) {
        static Chunk parse(String stdout, int asked) {
            int newline = stdout.indexOf('\n');
            if (newline < 0) {
                return null;
            }
            String[] header = stdout.substring(0, newline).trim().split(" ");
            try {
                if (header.length != 4) {
                    return null;
                }
                long size = Long.parseLong(header[0]);
                int length = Integer.parseInt(header[1]);
                boolean zipped = flag(header[2]);
                boolean eof = flag(header[3]);
                if (size < 0 || length < 0 || length > asked) {
                    return null;
                }
                // base64 on the way out: no argument limit applies, and Python's base85 encoder is slow (0.4 s for 512 KiB).
                byte[] decoded = Base64.getDecoder().decode(stdout.substring(newline + 1).strip());
                byte[] bytes = zipped ? inflate(decoded, length) : decoded;
                return bytes != null && bytes.length == length ? new Chunk(size, bytes, eof) : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private static boolean flag(String text) {
            if (!text.equals("0") && !text.equals("1")) {
                throw new IllegalArgumentException(text);
            }
            return text.equals("1");
        }
    }

    static ExecResult runCode(Sandbox sandbox, Language language, String code, java.time.Duration timeout) {
        byte[] bytes = code.getBytes(StandardCharsets.UTF_8);
        SandboxLimits limits = sandbox.limits();
        // A random name keeps concurrent runs in one sandbox apart.
        String file = "/tmp/sandbox402-" + Long.toHexString(RANDOM.nextLong()) + "." + language.extension();
        if (timeout != null && timeout.compareTo(limits.maxExecTimeout()) > 0) {
            write(sandbox, file, bytes);
            return sandbox.run(new ExecRequest(List.of(language.interpreter(), file), timeout));
        }
        List<ExecRequest> execs = writeExecs(limits, file, bytes, language.interpreter());
        for (ExecRequest exec : execs.subList(0, execs.size() - 1)) {
            ExecResult result = sandbox.exec(exec);
            if (!result.succeeded()) {
                throw new SandboxException("Cannot send the program to sandbox " + sandbox.id() + " (exit code "
                        + result.exitCode() + "): " + lastLine(result.stderr()));
            }
        }
        return sandbox.exec(execs.get(execs.size() - 1).withTimeout(timeout));
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
        return sandbox.run(new ExecRequest(command, Sandbox.INSTALL_TIMEOUT));
    }

    /** Moving 60 KB in or 512 KiB out takes well under a second; a minute (or the provider's longest) is plenty. */
    private static java.time.Duration fileTimeout(SandboxLimits limits) {
        java.time.Duration minute = java.time.Duration.ofSeconds(60);
        return limits.maxExecTimeout().compareTo(minute) < 0 ? limits.maxExecTimeout() : minute;
    }

    static byte[] deflate(byte[] content) {
        if (content.length < 64) {
            return content; // zlib's header and checksum outweigh any gain
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(content);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 2 + 64);
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
                if (out.size() > content.length) {
                    return content; // incompressible: stop early
                }
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Inflates at most {@code expected} bytes; {@code null} when the stream is broken or longer (a bomb). */
    static byte[] inflate(byte[] zipped, int expected) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(zipped);
            byte[] out = new byte[expected + 1];
            int length = 0;
            while (!inflater.finished() && length < out.length) {
                int n = inflater.inflate(out, length, out.length - length);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                length += n;
            }
            return inflater.finished() && length == expected ? java.util.Arrays.copyOf(out, length) : null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static String describeFailure(ExecResult result) {
        String error = lastLine(result.stderr());
        if (error.contains("FileNotFoundError")) {
            return "it does not exist";
        }
        if (error.contains("IsADirectoryError")) {
            return "it is a directory";
        }
        if (error.contains("PermissionError")) {
            return "permission denied";
        }
        return "exit code " + result.exitCode() + (result.timedOut() ? ", timed out" : "") + (error.isEmpty() ? "" : ", " + error);
    }

    private static String lastLine(String text) {
        String stripped = text.strip();
        int newline = stripped.lastIndexOf('\n');
        return newline < 0 ? stripped : stripped.substring(newline + 1);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }

    private static String checked(String path) {
        if (path == null || path.isBlank() || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path cannot be null, blank or contain NUL");
        }
        return path;
    }
}
