package io.sandbox402.agent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code --file} inputs, read before anything is created or paid, named by their file name in the sandbox. */
final class InputFiles {
    private InputFiles() {}

    static Map<String, byte[]> read(List<Path> paths) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Path path : paths == null ? List.<Path>of() : paths) {
            if (Files.isDirectory(path)) {
                throw new UsageException("--file " + path + " is a directory; give files, one --file each.");
            }
            if (!Files.isReadable(path)) {
                throw new UsageException("--file " + path + ": no such readable file.");
            }
            String name = path.getFileName().toString();
            if (files.containsKey(name)) {
                throw new UsageException("--file " + path + ": another input is already named " + name + ".");
            }
            try {
                files.put(name, Files.readAllBytes(path));
            } catch (IOException e) {
                throw new UsageException("--file " + path + ": cannot read it (" + e.getMessage() + ").");
            }
        }
        return files;
    }
}
