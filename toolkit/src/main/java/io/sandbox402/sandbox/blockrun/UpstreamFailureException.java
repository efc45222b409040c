package io.sandbox402.sandbox.blockrun;

/**
 * The sandbox service behind BlockRun failed or timed out (502 "Payment was NOT charged.", or 504):
 * the payment did not settle. The call may or may not have had an effect in the sandbox.
 *
 * <p>Immutable once thrown, so thread-safe.
 */
public class UpstreamFailureException extends BlockRunException {
    /**
     * A failure of the service behind BlockRun.
     *
     * @param status the HTTP status, 502 or 504
     * @param message what happened, that nothing was charged, and what to do
     */
    public UpstreamFailureException(int status, String message) {
        super(status, message);
    }
}
