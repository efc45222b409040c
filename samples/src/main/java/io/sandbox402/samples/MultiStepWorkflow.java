package io.sandbox402.samples;

import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.PaymentPolicy;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A multi-step workflow in one sandbox: upload data, transform it with Python, summarize it with
 * JavaScript, download the result. Files persist between steps until the sandbox is terminated.
 *
 * <p>Run: {@code java -cp samples/target/... io.sandbox402.samples.MultiStepWorkflow [emulator|local|blockrun]}
 */
public final class MultiStepWorkflow {
    public static void main(String[] args) {
        run(SampleSandboxes.kind(args), System.out);
    }

    static String run(String kind, PrintStream out) {
        try (SampleSandboxes sandboxes = SampleSandboxes.open(kind, PaymentPolicy.defaults());
                Sandbox sandbox = sandboxes.provider().create(SandboxSpec.defaults())) {
            // 1. upload
            sandbox.writeFile("data/sales.csv", "region,amount\nnorth,120\nsouth,80\nnorth,30\neast,55\n"
                    .getBytes(StandardCharsets.UTF_8));
            // 2. transform with Python
            ExecResult transform = sandbox.runCode(Language.PYTHON, """
                    import csv, json
                    totals = {}
                    for row in csv.DictReader(open('data/sales.csv')):
                        totals[row['region']] = totals.get(row['region'], 0) + int(row['amount'])
                    json.dump(totals, open('data/totals.json', 'w'), sort_keys=True)
                    print('regions:', len(totals))
                    """);
            out.print("transform: " + transform.stdout());
            // 3. summarize with JavaScript
            ExecResult summary = sandbox.runCode(Language.JAVASCRIPT, """
                    const totals = JSON.parse(require('fs').readFileSync('data/totals.json', 'utf8'));
                    const [best] = Object.entries(totals).sort((a, b) => b[1] - a[1]);
                    require('fs').writeFileSync('data/report.txt', `best region: ${best[0]} (${best[1]})\\n`);
                    console.log('report written');
                    """);
            out.print("summary: " + summary.stdout());
            // 4. download
            String report = new String(sandbox.readFile("data/report.txt"), StandardCharsets.UTF_8);
            out.print("report: " + report);
            out.println("spent: " + sandboxes.spent());
            return report;
        }
    }
}
