/**
 * LangChain4j tools over a {@link io.sandbox402.sandbox.SandboxProvider}: {@link
 * io.sandbox402.tools.CodeInterpreterTools} (run code, files, packages in a managed sandbox per
 * conversation) and {@link io.sandbox402.tools.SandboxTools} (BlockRun's four operations), with
 * {@link io.sandbox402.tools.SandboxSessions} keeping each conversation's sandboxes and limits. Python
 * runs as the cells of a stateful session per sandbox (variables persist between calls, as in a
 * notebook), each reported as a {@link io.sandbox402.tools.CellResult} to a
 * {@link io.sandbox402.tools.CodeRunListener}; {@code SandboxSessions.builder().statefulPython(false)}
 * runs each call as a fresh process.
 *
 * <pre>{@code
 * try (SandboxSessions sessions = SandboxSessions.builder().provider(provider).ledger(ledger).build()) {
 *     Assistant assistant = AiServices.builder(Assistant.class)
 *             .chatModel(model)
 *             .tools(new CodeInterpreterTools(sessions))
 *             .build();
 *     System.out.println(assistant.chat("conversation-1", "What is 2**100? Compute it."));
 *     sessions.close("conversation-1");
 * }
 * }</pre>
 */
@NullMarked
package io.sandbox402.tools;

import org.jspecify.annotations.NullMarked;
