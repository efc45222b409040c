package io.sandbox402.agent;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A file a Python cell of the task created or changed in the sandbox: a chart the session saved, a
 * CSV the code wrote. Immutable, so thread-safe.
 *
 * @param path its path in the sandbox, relative to the working directory ({@code outputs/cell-2-figure-1.png})
 * @param size its size in bytes when the cell ended
 * @param step the step whose cell produced it (its latest version, when several did)
 * @param downloaded where it was saved on this machine, or {@code null}: no output folder was set, it was
 *     larger than {@link CodeInterpreter.Builder#outputDir the download limit}, or the download failed
 */
public record OutputFile(String path, long size, int step, @Nullable Path downloaded) {}
