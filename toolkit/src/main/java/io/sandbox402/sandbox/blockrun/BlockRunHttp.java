package io.sandbox402.sandbox.blockrun;

import io.sandbox402.x402.X402Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP clients of one {@link BlockRunProvider}: an unpaid one for quotes and a paying one (the
 * {@link X402Interceptor}, then {@link RejectionCapture}) for everything else, sharing one dispatcher and
 * pool. Those are the provider's own unless a caller gave a client, and then they are the caller's to close.
 * Thread-safe.
 */
final class BlockRunHttp {
    /** OkHttp's default of 5 requests per host would serialize an evaluation harness's sandboxes. */
    private static final int MAX_REQUESTS = 256;

    private final OkHttpClient unpaid;
    private final OkHttpClient paid;
    private final @Nullable Dispatcher ownDispatcher;
    private final @Nullable ConnectionPool ownPool;

    BlockRunHttp(@Nullable OkHttpClient shared, String apiUrl, @Nullable Duration callTimeout, X402Interceptor payments) {
        boolean own = shared == null;
        this.ownDispatcher = own ? new Dispatcher() : null;
        this.ownPool = own ? new ConnectionPool(64, 5, TimeUnit.MINUTES) : null;
        if (ownDispatcher != null) {
            ownDispatcher.setMaxRequests(MAX_REQUESTS);
            ownDispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
        }
        OkHttpClient.Builder base = shared == null ? new OkHttpClient.Builder() : shared.newBuilder();
        if (shared == null && apiUrl.regionMatches(true, 0, "http://", 0, 7)) {
            base.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)); // no TLS to set up (0.1 s) for an emulator
        }
        this.unpaid = base
                .dispatcher(ownDispatcher != null ? ownDispatcher : shared.dispatcher())
                .connectionPool(ownPool != null ? ownPool : shared.connectionPool())
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .callTimeout(callTimeout == null ? Duration.ofSeconds(60) : callTimeout)
                // A paid call resent after a dropped connection could run its command twice: fail instead.
                .retryOnConnectionFailure(false)
                .build();
        this.paid = unpaid.newBuilder().addInterceptor(payments).addInterceptor(new RejectionCapture()).build();
    }

    /** For quotes: a 402 is the answer, nothing is paid. */
    OkHttpClient unpaid() {
        return unpaid;
    }

    /** For calls: every 402 is paid within the policy. */
    OkHttpClient paid() {
        return paid;
    }

    /** Connections held open (busy or idle) by the provider's own pool: zero after {@link #close()}; -1 for a caller's. */
    int openConnections() {
        return ownPool == null ? -1 : ownPool.connectionCount();
    }

    /**
     * Releases the provider's own threads and connections, which would otherwise outlive it by up to a minute
     * and five minutes. A caller's client is left alone.
     */
    void close() {
        if (ownDispatcher != null && ownPool != null) {
            ownDispatcher.executorService().shutdown();
            ownPool.evictAll();
        }
    }
}
