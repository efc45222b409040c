/**
 * The {@code code-interpreter} command line: {@link io.sandbox402.agent.cli.Main} and its commands
 * ({@code ask}, {@code run}, {@code chat}, {@code eval}, {@code emulator}, {@code doctor}), each a picocli
 * {@code Callable<Integer>}; only {@code main} exits the JVM. Values are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package io.sandbox402.agent.cli;

import org.jspecify.annotations.NullMarked;
