package io.sandbox402.sandbox.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a process stream on its own thread, so a full pipe never blocks the process, keeping at most
 * {@code limit} bytes. When the limit is passed it calls {@code onOverflow} (which stops the process).
 */
final class BoundedOutput {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread reader;
    private volatile boolean overflowed;

    BoundedOutput(InputStream in, int limit, Runnable onOverflow, String threadName) {
        this.reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    int room = limit - kept.size();
                    if (n > room) {
                        kept.write(buffer, 0, Math.max(0, room));
                        overflowed = true;
                        onOverflow.run();
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                        return;
                    }
                    kept.write(buffer, 0, n);
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

    /** What was read, once the stream ended (or after {@code waitMillis}). */
    String text(long waitMillis) throws InterruptedException {
        reader.join(waitMillis);
        return kept.toString(StandardCharsets.UTF_8);
    }
}
