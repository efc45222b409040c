package io.sandbox402.interop;

import io.sandbox402.testing.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The reference x402 scripts in the repository's {@code interop/} folder, run with Node.js. */
final class NodeScripts {
    private NodeScripts() {}

    /** The interop folder, after checking that node and its installed packages are there. */
    static Path folder() {
        Path folder = Path.of("").toAbsolutePath();
        while (folder != null && !Files.isDirectory(folder.resolve("interop"))) {
            folder = folder.getParent();
        }
        Prerequisites.require(folder != null, "the interop/ folder of the repository");
        Path interop = folder.resolve("interop");
        Prerequisites.require(onPath("node"), "node on PATH (Node.js 20; .ci/run installs it)");
        Prerequisites.require(Files.isDirectory(interop.resolve("node_modules/@x402/express")),
                "interop/node_modules (run: cd interop && npm ci)");
        return interop;
    }

    static ProcessBuilder node(Path folder, String script, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(List.of("node", script)).directory(folder.toFile());
        builder.environment().putAll(env);
        return builder;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static String read(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
