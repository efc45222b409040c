package io.sandbox402.sandbox;

import java.util.List;

/** Files, code and packages built on {@link Sandbox#exec}, the same for every provider. */
final class SandboxFiles {
    private SandboxFiles() {}

    static void write(Sandbox sandbox, String path, byte[] content) {
        throw new UnsupportedOperationException("TODO: base64 through sh -c, chunked");
    }

    static byte[] read(Sandbox sandbox, String path) {
        throw new UnsupportedOperationException("TODO: base64 through sh -c, chunked");
    }

    static ExecResult runCode(Sandbox sandbox, Language language, String code) {
        throw new UnsupportedOperationException("TODO");
    }

    static ExecResult install(Sandbox sandbox, List<String> packages) {
        throw new UnsupportedOperationException("TODO");
    }
}
