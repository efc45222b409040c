package io.sandbox402.x402;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Carries a {@link PaymentException} through OkHttp, which treats only {@link IOException}s as call
 * failures inside an interceptor. Clients unwrap it at their edge with {@link #unwrap(IOException)}.
 *
 * <p>Thread-safe once thrown, like any exception.
 */
public final class PaymentIOException extends IOException {
    /**
     * Wraps a payment failure; the message is the cause's.
     *
     * @param cause the failure to carry through OkHttp, returned by {@link #getCause()}
     */
    public PaymentIOException(PaymentException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized PaymentException getCause() {
        return (PaymentException) super.getCause();
    }

    /**
     * Finds the payment failure behind an I/O failure, looking through the whole cause chain.
     *
     * @param e what an OkHttp call threw
     * @return the payment exception inside {@code e}, or {@code null} when {@code e} is an ordinary I/O failure
     */
    public static @Nullable PaymentException unwrap(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PaymentException) {
                return (PaymentException) t;
            }
        }
        return null;
    }
}
