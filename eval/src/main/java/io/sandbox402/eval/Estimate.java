package io.sandbox402.eval;

import java.math.BigDecimal;

/**
 * What a run will do and cost, known before its first paid call.
 *
 * @param samples samples left to evaluate (those already in the results file are skipped)
 * @param alreadyDone samples found in the results file
 * @param batches batches planned
 * @param sandboxes sandboxes the run will keep busy
 * @param minCost US dollars when every sample is quick: one exec per batch
 * @param maxCost US dollars when every sample runs to its timeout: more execs per batch
 */
public record Estimate(long samples, long alreadyDone, long batches, int sandboxes, BigDecimal minCost,
        BigDecimal maxCost) {}
