package io.sandbox402.sandbox.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a process stream on its own thread, so a full pipe never blocks the process, keeping at most
 * {@code limit} bytes. When the limit is passed it calls {@code onOverflow} (which stops the process).
 * Once the text was taken, whatever still comes (from a background process that kept the pipe) is
 * read and dropped, so that process never blocks on a full pipe.
 */
final class BoundedOutput {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread reader;
    private volatile boolean overflowed;
    private volatile boolean taken;

    BoundedOutput(InputStream in, int limit, Runnable onOverflow, String threadName) {
        this.reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (taken) {
                        continue;
                    }
                    int room = limit - kept.size();
                    if (n > room) {
                        kept.write(buffer, 0, Math.max(0, room));
                        overflowed = true;
                        onOverflow.run();
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                        return;
                    }
                    synchronized (kept) {
                        if (!taken) {
                            kept.write(buffer, 0, n);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process was killed: keep what was read
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
    }

    boolean overflowed() {
        return overflowed;
    }

    /** What was read, once the stream ended (or after {@code waitMillis}); later output is dropped. */
    String text(long waitMillis) throws InterruptedException {
        reader.join(waitMillis);
        synchronized (kept) {
            taken = true;
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
