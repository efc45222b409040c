/**
 * Sandboxes: isolated machines that run commands and keep their files until terminated, behind one
 * interface with two providers, {@link io.sandbox402.sandbox.blockrun.BlockRunProvider} (paid per call
 * through x402) and {@link io.sandbox402.sandbox.local.LocalProvider} (bubblewrap on this machine).
 *
 * <pre>{@code
 * try (SandboxProvider provider = LocalProvider.create();
 *      Sandbox sandbox = provider.create(SandboxSpec.builder().timeout(Duration.ofMinutes(5)).build())) {
 *     sandbox.writeFile("data.csv", bytes);
 *     ExecResult result = sandbox.runCode(Language.PYTHON, "print(open('data.csv').read().count(','))");
 *     if (!result.succeeded()) System.err.println(result.stderr());
 * }
 * }</pre>
 */
@NullMarked
package io.sandbox402.sandbox;

import org.jspecify.annotations.NullMarked;
