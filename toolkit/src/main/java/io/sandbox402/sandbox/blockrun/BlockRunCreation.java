package io.sandbox402.sandbox.blockrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxLimitException;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.x402.PaymentTag;
import io.sandbox402.x402.Usdc;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How a BlockRun sandbox is made. First the spec is checked for free against the {@link BlockRunTerms} and
 * {@link SandboxLimits} (a lifetime billed by the hour is refused, with its quoted price, unless allowed);
 * then one paid create; finally, where the terms refuse setup commands at create, each runs as a paid exec,
 * and the first that fails terminates the sandbox. Thread-safe: it holds only settings.
 */
final class BlockRunCreation {
    private static final System.Logger LOG = System.getLogger(BlockRunCreation.class.getName());
    /** BlockRun waits 120 s for a create. */
    private static final Duration CREATE_WAIT = Duration.ofSeconds(120);

    private final BlockRunApi api;
    private final BlockRunQuoter quoter;
    private final SandboxLimits limits;
    private final BlockRunTerms terms;
    private final boolean allowHourlyCreate;
    private final Duration setupCommandTimeout;

    BlockRunCreation(BlockRunApi api, BlockRunQuoter quoter, SandboxLimits limits, BlockRunTerms terms,
            boolean allowHourlyCreate, Duration setupCommandTimeout) {
        this.api = api;
        this.quoter = quoter;
        this.limits = limits;
        this.terms = terms;
        this.allowHourlyCreate = allowHourlyCreate;
        this.setupCommandTimeout = setupCommandTimeout;
    }

    /**
     * Creates the sandbox, hands it to {@code created} as soon as BlockRun names it (so that a provider
     * closing meanwhile terminates it), then runs the setup commands left for after the create.
     *
     * @param sandboxOf makes the sandbox object of an id
     */
    BlockRunSandbox create(SandboxSpec spec, Function<String, BlockRunSandbox> sandboxOf, Consumer<BlockRunSandbox> created) {
        terms.check(spec);
        for (String command : spec.setupCommands()) {
            if (command.length() > limits.maxSegmentChars()) {
                throw new SandboxLimitException("A setup command has " + command.length() + " characters, above BlockRun's"
                        + " limit of " + limits.maxSegmentChars() + " per command segment; nothing was sent or paid."
                        + " Split it, or write a script with Sandbox.writeFile and run that.");
            }
        }
        ObjectNode body = body(spec, limits.setupCommandsAtCreate());
        if (terms.hourly(spec.timeout()) && !allowHourlyCreate) {
            throw hourlyRefused(spec, body);
        }
        PaymentTag tag = PaymentTag.priceKey((spec.gpu() == null ? "cpu" : "gpu=" + spec.gpu().wireName())
                + (terms.hourly(spec.timeout()) ? ",t=" + spec.timeout().toSeconds() : ""));
        // Setup commands at create run inside it: give them the sandbox's lifetime to finish.
        boolean setupAtCreate = limits.setupCommandsAtCreate() && !spec.setupCommands().isEmpty();
        Duration wait = !setupAtCreate ? CREATE_WAIT
                : (spec.timeout() == null ? Duration.ofSeconds(300) : spec.timeout()).plus(Duration.ofSeconds(60));
        JsonNode response = api.call("create", body, tag, wait, false);
        JsonNode id = BlockRunSandbox.firstPresent(response, "sandbox_id", "id", "sandboxId");
        if (id == null || id.asText().isBlank()) {
            throw new BlockRunException(200, "BlockRun created a sandbox but its answer names no sandbox_id: "
                    + BlockRunApi.abbreviate(response.toString()) + ". It may be running: check your BlockRun usage.");
        }
        BlockRunSandbox sandbox = sandboxOf.apply(id.asText());
        created.accept(sandbox);
        if (!limits.setupCommandsAtCreate()) {
            runSetup(sandbox, spec.setupCommands(), tag.cost());
        }
        return sandbox;
    }

    @SuppressWarnings("unchecked")
    private SandboxLimitException hourlyRefused(SandboxSpec spec, ObjectNode body) {
        String price;
        try {
            BlockRunQuote quote = quoter.quote("create", BlockRunApi.JSON.convertValue(body, Map.class));
            price = "BlockRun quotes " + quote.price() + " for it";
        } catch (RuntimeException e) {
            price = "its price could not be quoted (" + e.getMessage() + ")";
        }
        return new SandboxLimitException("A lifetime of " + spec.timeout().toSeconds() + " s is above "
                + terms.flatLifetime().toSeconds() + " s, so BlockRun bills the create by the hour, upfront for the whole"
                + " lifetime and without refund on an early terminate: " + price + ". Nothing was paid. Ask for at most "
                + terms.flatLifetime().toSeconds() + " s, or allow it with BlockRunProvider.builder().allowHourlyCreate(true).");
    }

    private static ObjectNode body(SandboxSpec spec, boolean withSetup) {
        ObjectNode body = BlockRunApi.JSON.createObjectNode();
        if (spec.image() != null) {
            body.put("image", spec.image());
        }
        if (spec.timeout() != null) {
            body.put("timeout", spec.timeout().toSeconds());
        }
        if (spec.cpu() != null) {
            body.put("cpu", spec.cpu());
        }
        if (spec.memoryMb() != null) {
            body.put("memory", spec.memoryMb());
        }
        if (spec.gpu() != null) {
            body.put("gpu", spec.gpu().wireName());
        }
        if (withSetup && !spec.setupCommands().isEmpty()) {
            spec.setupCommands().forEach(body.putArray("setup_commands")::add);
        }
        spec.extra().forEach((name, value) -> body.set(name, BlockRunApi.JSON.valueToTree(value)));
        return body;
    }

    /** Runs setup commands as execs, in order; the first failure terminates the sandbox. */
    private void runSetup(BlockRunSandbox sandbox, List<String> commands, BigDecimal createCost) {
        BigDecimal cost = createCost;
        for (int i = 0; i < commands.size(); i++) {
            ExecResult result;
            try {
                result = sandbox.run(ExecRequest.shell(commands.get(i)).withTimeout(setupCommandTimeout));
            } catch (RuntimeException e) {
                terminateQuietly(sandbox);
                throw new SandboxException("Setup command " + (i + 1) + " of " + commands.size() + " (" + commands.get(i)
                        + ") could not run in sandbox " + sandbox.id() + ": " + e.getMessage() + " The sandbox was terminated.", e);
            }
            cost = cost.add(result.cost());
            if (!result.succeeded()) {
                terminateQuietly(sandbox);
                throw new SandboxException("Setup command " + (i + 1) + " of " + commands.size() + " (" + commands.get(i)
                        + ") failed in sandbox " + sandbox.id() + " (exit code " + result.exitCode()
                        + (result.timedOut() ? ", timed out after " + setupCommandTimeout.toSeconds() + " s" : "")
                        + "); the sandbox was terminated. Paid so far for this sandbox: " + Usdc.format(cost)
                        + ".\nstdout:\n" + tail(result.stdout()) + "\nstderr:\n" + tail(result.stderr()));
            }
        }
    }

    private static void terminateQuietly(BlockRunSandbox sandbox) {
        try {
            sandbox.terminate();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not terminate BlockRun sandbox {0} after its setup failed: {1}. It"
                    + " ends by itself when its timeout passes.", sandbox.id(), e.getMessage());
        }
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 1997);
    }
}
