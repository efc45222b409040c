package io.sandbox402.sandbox.local;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Whether this machine can jail code, asked once when first needed: bubblewrap found and working, and its
 * helper files prepared under the provider's root. Thread-safe.
 */
final class HostProbe {
    private final String bwrap;
    private final Path root;
    private volatile boolean probed;
    private volatile String unavailableReason;
    private volatile Bubblewrap.Host host;
    private volatile Bubblewrap bubblewrap;

    HostProbe(String bwrap, Path root) {
        this.bwrap = bwrap;
        this.root = root;
    }

    /** Why sandboxes cannot be made here, or {@code null}. */
    String unavailableReason() {
        if (!probed) {
            synchronized (this) {
                if (!probed) {
                    host = Bubblewrap.host(bwrap);
                    unavailableReason = host.unavailableReason();
                    if (unavailableReason == null) {
                        try {
                            bubblewrap = Bubblewrap.create(host, root);
                        } catch (IOException e) {
                            unavailableReason = "Cannot prepare the local sandbox: " + e.getMessage();
                        }
                    }
                    probed = true;
                }
            }
        }
        return unavailableReason;
    }

    /** The host found, once probed; {@code null} before. */
    Bubblewrap.Host host() {
        return host;
    }

    /** The jail maker, once probed and available; {@code null} otherwise. */
    Bubblewrap bubblewrap() {
        return bubblewrap;
    }
}
