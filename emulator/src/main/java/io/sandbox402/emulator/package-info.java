/**
 * A local BlockRun: the sandbox API and x402 payments verified for real, balances simulated, sandboxes
 * run by any {@link io.sandbox402.sandbox.SandboxProvider}. For tests, samples and trying the paid flow
 * without money. A {@link io.sandbox402.emulator.BlockRunProfile} sets the terms played (limits, prices,
 * strictness); one payment runs one call:
 *
 * <pre>{@code
 * try (BlockRunEmulator emulator = BlockRunEmulator.builder()
 *         .profile(BlockRunProfile.publicBeta())                    // the default; or seedTerms()
 *         .build().start()) {
 *     emulator.inject("exec", Fault.dropConnectionAfterSettle());   // optional: play a failure
 *     String url = emulator.baseUrl();                               // for BLOCKRUN_API_URL
 *     ...
 *     assertThat(emulator.runningSandboxes()).isZero();             // nothing leaked
 * }
 * }</pre>
 */
@NullMarked
package io.sandbox402.emulator;

import org.jspecify.annotations.NullMarked;
