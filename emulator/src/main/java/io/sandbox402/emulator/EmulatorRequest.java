package io.sandbox402.emulator;

/**
 * One request the emulator answered.
 *
 * @param operation {@code create}, {@code exec}, {@code status} or {@code terminate} (or the unknown path)
 * @param paid whether it carried a payment header
 * @param status the HTTP status answered ({@code 0} when the connection was dropped)
 * @param sandboxId the sandbox it concerned, when known
 */
public record EmulatorRequest(String operation, boolean paid, int status, String sandboxId) {}
