package io.sandbox402.samples;

import io.sandbox402.emulator.BlockRunEmulator;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Language;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.SpendLedger;
import io.sandbox402.x402.Usdc;
import io.sandbox402.x402.Wallet;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A multi-step workflow in one sandbox: upload data, transform it with Python, summarize it with
 * JavaScript, download the result. Files persist between steps until the sandbox is terminated.
 *
 * <p>Run: {@code java -cp ... io.sandbox402.samples.MultiStepWorkflow [emulator|local|blockrun]}: {@code emulator}
 * (the default) pays a local BlockRun without money, {@code local} is a free bubblewrap jail, {@code blockrun}
 * pays BlockRun from BLOCKRUN_WALLET_KEY.
 */
public final class MultiStepWorkflow {
    public static void main(String[] args) {
        System.exit(launch(args, System.out, System.err));
    }

    static int launch(String[] args, PrintStream out, PrintStream err) {
        String kind = args.length == 0 ? "emulator" : args[0];
        if (args.length > 1 || !List.of("emulator", "local", "blockrun").contains(kind)) {
            err.println("usage: MultiStepWorkflow [emulator|local|blockrun]");
            return 2;
        }
        try {
            run(kind, out);
            return 0;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    static String run(String kind, PrintStream out) {
        SpendLedger ledger = new SpendLedger();
        try (BlockRunEmulator emulator = kind.equals("emulator") ? BlockRunEmulator.builder().build().start() : null;
                SandboxProvider provider = switch (kind) {
                    case "local" -> LocalProvider.create();
                    case "emulator" -> BlockRunProvider.builder().apiUrl(emulator.baseUrl()).wallet(Wallet.random())
                            .ledger(ledger).build();
                    default -> BlockRunProvider.builderFromEnvironment().ledger(ledger).build();
                };
                Sandbox sandbox = provider.create(SandboxSpec.defaults())) {
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
            out.println("spent: " + (kind.equals("local") ? "free" : Usdc.format(ledger.totalCommitted())));
            return report;
        }
    }
}
