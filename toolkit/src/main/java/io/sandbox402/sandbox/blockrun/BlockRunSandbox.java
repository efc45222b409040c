package io.sandbox402.sandbox.blockrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.sandbox.SandboxStatus;
import io.sandbox402.x402.PaymentTag;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** A Modal sandbox rented from BlockRun: every call is one paid request. */
final class BlockRunSandbox implements Sandbox {
    /** Time for BlockRun and Modal around the command itself. */
    static final Duration READ_TIMEOUT_MARGIN = Duration.ofSeconds(30);

    private final String id;
    private final BlockRunApi api;
    private final BlockRunProvider provider;
    private final AtomicBoolean terminated = new AtomicBoolean();

    BlockRunSandbox(String id, BlockRunApi api, BlockRunProvider provider) {
        this.id = id;
        this.api = api;
        this.provider = provider;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        if (terminated.get()) {
            throw new SandboxException("Sandbox " + id + " is terminated; create a new one to run more commands.");
        }
        SandboxLimits limits = provider.sandboxLimits();
        // Whole seconds, rounded up, so that a timeout within the limit stays within it on the wire.
        Duration asked = limits.execTimeout(request.timeout());
        long seconds = Math.max(1, (asked.toMillis() + 999) / 1000);
        limits.check(request.withTimeout(Duration.ofSeconds(seconds)));
        ObjectNode body = BlockRunApi.JSON.createObjectNode();
        body.put("sandbox_id", id);
        request.command().forEach(body.putArray("command")::add);
        // Always sent: BlockRun's default is its maximum, and a deployment's maximum may be lower.
        body.put("timeout", seconds);
        Duration wait = Duration.ofSeconds(seconds).plus(READ_TIMEOUT_MARGIN);
        PaymentTag tag = PaymentTag.create();
        long started = System.nanoTime();
        JsonNode response = api.call("exec", body, tag, wait, false);
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        int exitCode = firstInt(response, -1, "returncode", "exit_code", "exitCode");
        boolean timedOut = response.path("timed_out").asBoolean(false) || exitCode == ExecResult.TIMEOUT_EXIT_CODE
                && response.path("stderr").asText("").contains("timed out");
        return new ExecResult(response.path("stdout").asText(""), response.path("stderr").asText(""), exitCode, duration,
                tag.cost(), timedOut, response.path("truncated").asBoolean(false));
    }

    /** The provider's limits: BlockRun's public beta unless the provider was built with others. */
    @Override
    public SandboxLimits limits() {
        return provider.sandboxLimits();
    }

    @Override
    public SandboxStatus status() {
        if (terminated.get()) {
            return new SandboxStatus(id, SandboxStatus.TERMINATED, null);
        }
        ObjectNode body = BlockRunApi.JSON.createObjectNode().put("sandbox_id", id);
        JsonNode response = api.call("status", body, PaymentTag.create(), null, true);
        JsonNode code = firstPresent(response, "returncode", "exit_code", "exitCode");
        return new SandboxStatus(id, response.path("status").asText("unknown"),
                code == null || code.isNull() ? null : code.asInt());
    }

    @Override
    public void terminate() {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        try {
            // Paid even past the session cap: a sandbox left running costs more than its terminate.
            api.call("terminate", BlockRunApi.JSON.createObjectNode().put("sandbox_id", id), PaymentTag.cleanup(), null, true);
        } catch (SandboxNotFoundException alreadyGone) {
            // terminated or timed out on BlockRun's side: nothing left to pay for
        } catch (RuntimeException e) {
            terminated.set(false); // still running as far as we know: close() and the shutdown hook try again
            throw e;
        } finally {
            if (terminated.get()) {
                provider.forget(this);
            }
        }
    }

    static int firstInt(JsonNode node, int fallback, String... names) {
        JsonNode value = firstPresent(node, names);
        return value == null || value.isNull() ? fallback : value.asInt(fallback);
    }

    /** The first of {@code names} present: BlockRun's field names have drifted over time. */
    static JsonNode firstPresent(JsonNode node, String... names) {
        for (String name : names) {
            if (node.has(name)) {
                return node.get(name);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "BlockRunSandbox{" + id + (terminated.get() ? ", terminated" : "") + "}";
    }
}
