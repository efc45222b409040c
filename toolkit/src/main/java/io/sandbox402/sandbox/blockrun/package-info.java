/**
 * Sandboxes rented from BlockRun and paid per call in USDC through x402: {@link
 * io.sandbox402.sandbox.blockrun.BlockRunProvider}, what a create may ask for ({@link
 * io.sandbox402.sandbox.blockrun.BlockRunTerms}), a free price quote ({@link
 * io.sandbox402.sandbox.blockrun.BlockRunQuote}) and the {@link io.sandbox402.sandbox.blockrun.BlockRunException}s
 * that say whether money moved.
 *
 * <pre>{@code
 * try (BlockRunProvider provider = BlockRunProvider.fromEnvironment(); // BLOCKRUN_WALLET_KEY, BLOCKRUN_API_URL
 *      Sandbox sandbox = provider.create(SandboxSpec.defaults())) {
 *     System.out.print(sandbox.runCode(Language.PYTHON, "print(6 * 7)").stdout());
 *     System.out.println("spent $" + provider.ledger().totalCommitted());
 * }
 * }</pre>
 */
@NullMarked
package io.sandbox402.sandbox.blockrun;

import org.jspecify.annotations.NullMarked;
