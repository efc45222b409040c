/**
 * The code-interpreter agent: {@link io.sandbox402.agent.CodeInterpreter} drives a LangChain4j AI
 * service whose model writes code, runs it in a sandbox through {@link io.sandbox402.tools.CodeInterpreterTools},
 * reads the output and iterates, and returns a {@link io.sandbox402.agent.Solution} with the answer,
 * every step, the cost and the tokens. Every sandbox is terminated when a task ends.
 *
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder()
 *         .baseUrl(System.getenv("OPENAI_BASE_URL")).apiKey(System.getenv("OPENAI_API_KEY"))
 *         .modelName("gpt-4o-mini").build();
 * try (LocalProvider sandboxes = LocalProvider.create();
 *      CodeInterpreter interpreter = CodeInterpreter.builder().chatModel(model).sandboxProvider(sandboxes).build()) {
 *     Solution solution = interpreter.solve("What is the 40th Fibonacci number? Compute it.");
 *     System.out.println(solution.answer());
 *     solution.steps().forEach(step -> System.out.println(step.code()));
 * }
 * }</pre>
 *
 * <p>Values are non-null unless marked {@link org.jspecify.annotations.Nullable @Nullable}; each public
 * type says whether it is thread-safe.
 */
@NullMarked
package io.sandbox402.agent;

import org.jspecify.annotations.NullMarked;
