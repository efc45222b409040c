package io.sandbox402.eval;

import io.sandbox402.sandbox.local.LocalProvider;
import java.nio.file.Path;

/** {@code java -cp ... EvalMain PROBLEMS SAMPLES BATCH}: an evaluation on the local sandbox in a process of its own, to kill. */
public final class EvalMain {
    private EvalMain() {}

    public static void main(String[] args) {
        try (LocalProvider provider = LocalProvider.create()) {
            Evaluation.builder().provider(provider).problems(Path.of(args[0])).samples(Path.of(args[1]))
                    .maxBatchSamples(Integer.parseInt(args[2])).build().run();
        }
    }
}
