package io.sandbox402.agent.cli;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import io.sandbox402.sandbox.blockrun.BlockRunQuote;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.x402.Wallet;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the setup and say what is missing.",
                "It checks the model (with a tiny chat completion, the call 'ask' makes), the wallet, a free price quote",
                "from BlockRun, and bubblewrap for the local sandbox and the emulator."})
final class DoctorCommand implements Callable<Integer> {
    private final Environment env;

    @Spec
    CommandSpec spec;

    @Mixin
    SandboxOptions sandboxOptions;

    @Mixin
    ModelOptions modelOptions;

    DoctorCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean modelOk = checkModel(out);
        Optional<Wallet> wallet = checkWallet(out);
        boolean blockRunOk = checkBlockRun(out, wallet);
        boolean localOk = checkLocal(out);
        String kind = sandboxOptions.kind(env);
        boolean sandboxOk = switch (kind) {
            case "blockrun" -> blockRunOk && wallet.isPresent();
            case "local", "emulator" -> localOk;
            default -> false;
        };
        out.println();
        out.println((modelOk && sandboxOk ? "Ready" : "Not ready") + ": 'ask' would use the " + kind + " sandbox"
                + (modelOk ? "" : "; configure a model first") + (sandboxOk ? "." : ", which is not usable yet."));
        out.flush();
        return modelOk && sandboxOk ? 0 : Main.EXIT_USAGE;
    }

    private boolean checkModel(PrintWriter out) {
        if (!modelOptions.configured(env)) {
            out.println("MISSING model: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any OpenAI-compatible server"
                    + " (for instance Ollama's http://localhost:11434/v1).");
            return false;
        }
        String url = modelOptions.baseUrl(env);
        try {
            // The call 'ask' makes, at its smallest: a server without GET /models still passes.
            ModelServer model = modelOptions.build(env, spec.commandLine().getErr());
            model.chat(ChatRequest.builder().messages(UserMessage.from("Reply with the word ok.")).build());
            out.println("ok      model: " + modelOptions.modelName(env) + " at " + url + " (answered a chat completion)");
            return true;
        } catch (ModelServerException | UsageException e) {
            out.println("FAIL    model: " + e.getMessage());
            return false;
        }
    }

    private Optional<Wallet> checkWallet(PrintWriter out) {
        try {
            Optional<Wallet> wallet = Wallet.fromEnvironmentIfPresent(env.variables());
            out.println(wallet.map(w -> "ok      wallet: " + w.address())
                    .orElse("info    wallet: BLOCKRUN_WALLET_KEY is not set (needed only for --sandbox blockrun)."));
            return wallet;
        } catch (IllegalArgumentException e) {
            out.println("BAD     wallet: " + e.getMessage());
            return Optional.empty();
        }
    }

    private boolean checkBlockRun(PrintWriter out, Optional<Wallet> wallet) {
        String url = Optional.ofNullable(env.resolve(sandboxOptions.apiUrl, BlockRunProvider.API_URL_VARIABLE))
                .orElse(BlockRunProvider.DEFAULT_API_URL);
        String source = sandboxOptions.apiUrl != null ? "--api-url" : BlockRunProvider.API_URL_VARIABLE;
        // A quote is free: the unpaid request answers 402 with the price. No wallet is needed to ask.
        try (BlockRunProvider provider = BlockRunProvider.builder().apiUrl(url).wallet(wallet.orElseGet(Wallet::random))
                .shutdownHook(false).maxRetries(0).build()) {
            BlockRunCheck.quote(url, source); // a wrong URL is named, with what it answered
            BlockRunQuote create = provider.quote("create", Map.of());
            BlockRunQuote exec = provider.quote("exec", Map.of("sandbox_id", "sb-doctor", "command", new String[] {"true"}));
            out.println("ok      blockrun: " + url + " quotes create " + create.price() + ", exec " + exec.price()
                    + " (" + create.network() + ")");
            return true;
        } catch (RuntimeException e) {
            out.println("FAIL    blockrun: " + Secrets.mask(e.getMessage()));
            return false;
        }
    }

    private boolean checkLocal(PrintWriter out) {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            boolean ok = local.isAvailable();
            out.println((ok ? "ok      " : "MISSING ") + local.description());
            return ok;
        }
    }
}
