package io.sandbox402.emulator;

import java.math.BigInteger;

/**
 * One payment the emulator received.
 *
 * @param operation the paid operation
 * @param payer the authorization's {@code from}
 * @param amount atomic USDC units
 * @param nonce the authorization's nonce
 * @param settled whether it was settled (the balance debited)
 * @param reason why it was not, for instance {@code insufficient_funds} or {@code handler_failed}
 * @param transaction the fake transaction hash of a settlement
 */
public record EmulatorPayment(
        String operation, String payer, BigInteger amount, String nonce, boolean settled, String reason, String transaction) {}
