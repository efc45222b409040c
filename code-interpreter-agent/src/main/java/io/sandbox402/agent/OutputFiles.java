package io.sandbox402.agent;

import io.sandbox402.tools.CellResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The files a task's cells produced, downloaded into an output folder while the sandbox still runs
 * (it is terminated when the task ends). Each download is paid reads on BlockRun, so they are bounded:
 * files up to {@link #MAX_BYTES}, at most {@link #MAX_FILES} of them; larger ones stay listed.
 */
final class OutputFiles {
    private static final System.Logger LOG = System.getLogger(OutputFiles.class.getName());
    /** A chart or a table; a larger file is listed but not downloaded (16 MiB is 32 paid reads on BlockRun). */
    static final long MAX_BYTES = 16L << 20;
    static final int MAX_FILES = 50;

    private final @Nullable Path dir;
    private final Map<String, OutputFile> files = new LinkedHashMap<>();

    /** @param dir where to save files, or {@code null} to list them only */
    OutputFiles(@Nullable Path dir) {
        this.dir = dir == null ? null : dir.toAbsolutePath().normalize();
    }

    /** Records {@code cell}'s files, downloading each with {@code read} (a path in the sandbox to its bytes). */
    synchronized void collect(int step, CellResult cell, Function<String, byte[]> read) {
        for (CellResult.File file : cell.files()) {
            boolean room = files.size() < MAX_FILES || files.containsKey(file.path());
            Path saved = dir != null && room && file.size() <= MAX_BYTES ? download(file.path(), read) : null;
            files.put(file.path(), new OutputFile(file.path(), file.size(), step, saved));
        }
    }

    synchronized List<OutputFile> files() {
        return List.copyOf(files.values());
    }

    private @Nullable Path download(String path, Function<String, byte[]> read) {
        Path target = dir.resolve(path).normalize();
        if (!target.startsWith(dir)) {
            return null; // a path out of the output folder (../x) is never written
        }
        try {
            byte[] bytes = read.apply(path);
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
            return target;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not download {0} from the sandbox: {1}", path, e.getMessage());
            return null;
        }
    }
}
