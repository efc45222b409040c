package io.sandbox402.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxException;
import io.sandbox402.sandbox.SandboxLimitException;
import io.sandbox402.sandbox.SandboxLimits;
import io.sandbox402.x402.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;

/**
 * A stateful Python session per sandbox, as a notebook keeps one, over nothing but {@code exec}: one
 * exec per cell in the steady state. First the kernel (the resource {@code python_kernel.py}) travels
 * compressed in the arguments of a sandbox's first cell, and that exec's small client starts it in the
 * background, in a session of its own, so it outlives the exec. Then each cell is one exec: the client
 * drops the cell (compressed in its arguments) where the kernel picks it up, waits for the outcome for
 * nearly the provider's exec limit and prints it as JSON. A cell still running then is polled by later
 * execs (each paid on BlockRun) until it ends or its timeout passes; at its timeout the last exec
 * interrupts it (SIGINT, then kills the kernel if it does not stop). Finally, when the kernel is gone
 * (killed, crashed, the sandbox replaced), the next cell's client starts a new one and the result says
 * the state was lost.
 *
 * <p>Thread-safe: cells of one sandbox run one at a time.
 */
final class PythonKernel {
    /** Where the kernel keeps its script, pid and exchange files: in the sandbox's /tmp, out of the working directory. */
    static final String DIRECTORY = "/tmp/.sandbox402/kernel";
    /** A cell's timeout when the model names none: BlockRun's longest exec, so a cell costs one exec. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final String KERNEL = resource("python_kernel.py");
    static final String CLIENT = resource("python_kernel_client.py");
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KERNEL_DATA = encode(KERNEL);

    /**
     * Per sandbox, whether it received the kernel script (a sandbox that lost it says so and gets it again);
     * also the lock of its cells. Weak, so a sandbox its sessions let go of is forgotten here too.
     */
    private final Map<Sandbox, SandboxState> sandboxes = Collections.synchronizedMap(new WeakHashMap<>());
    /** Per conversation, the sandbox whose session ran its last cell: a cell in another one lost that state. */
    private final Map<Object, String> lastSandbox = new ConcurrentHashMap<>();

    private static final class SandboxState {
        boolean shipped;
    }

    /**
     * Runs {@code code} as the next cell of the sandbox's session, for at most {@code timeout} ({@code
     * null}: {@link #DEFAULT_TIMEOUT}, at most the provider's exec limit).
     *
     * @throws SandboxException when an exec failed for another reason than the cell (the sandbox is gone)
     */
    CellResult execute(Object conversation, Sandbox sandbox, String code, Duration timeout) {
        SandboxState state = sandboxes.computeIfAbsent(sandbox, key -> new SandboxState());
        synchronized (state) {
            if (timeout == null) {
                timeout = defaultTimeout(sandbox.limits());
            }
            CellResult result = send(sandbox, state, code, timeout);
            String previous = lastSandbox.put(conversation == null ? "default" : conversation, sandbox.id());
            if (previous != null && !previous.equals(sandbox.id()) && !result.restarted()) {
                result = withRestarted(result);
            }
            return result;
        }
    }

    static Duration defaultTimeout(SandboxLimits limits) {
        Duration limit = limits.maxExecTimeout();
        return DEFAULT_TIMEOUT.compareTo(limit) < 0 ? DEFAULT_TIMEOUT : limit;
    }

    void forget(Sandbox sandbox) {
        sandboxes.remove(sandbox);
    }

    private CellResult send(Sandbox sandbox, SandboxState state, String code, Duration timeout) {
        long started = System.nanoTime();
        SandboxLimits limits = sandbox.limits();
        Timing timing = Timing.of(limits);
        String id = Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        BigDecimal cost = BigDecimal.ZERO;
        JsonNode answer = null;
        long deadline = 0;
        for (int attempt = 0; answer == null || answer.has("missing"); attempt++) {
            if (attempt == 2) {
                throw new SandboxException("Cannot start the Python session in sandbox " + sandbox.id()
                        + ": its kernel script vanished right after it was sent.");
            }
            // The kernel and the cell travel in the exec's arguments; what does not fit goes ahead as files.
            List<String> kernel = attempt > 0 || !state.shipped
                    ? split(KERNEL_DATA, limits.maxSegmentChars()) : List.of();
            List<String> cell = split(encode(code), limits.maxSegmentChars());
            if (!fits(limits, command("run", id, 0, false, 0, kernel, cell)) && !kernel.isEmpty()) {
                sandbox.writeFile(DIRECTORY + "/kernel.py", KERNEL.getBytes(StandardCharsets.UTF_8));
                kernel = List.of();
            }
            if (!fits(limits, command("run", id, 0, false, 0, kernel, cell))) {
                String file = DIRECTORY + "/cells/" + id + ".py";
                sandbox.writeFile(file, code.getBytes(StandardCharsets.UTF_8));
                cell = List.of("@" + file);
            }
            deadline = System.nanoTime() + timeout.toNanos(); // the cell's time starts when it is handed over
            ExecResult exec = exchange(sandbox, command("run", id, deadline, timing, kernel, cell), timing);
            cost = cost.add(exec.cost());
            answer = parse(sandbox, exec);
            state.shipped = true;
        }
        int polls = 0;
        long giveUp = deadline + 3 * sandbox.limits().maxExecTimeout().toNanos();
        while (answer.has("pending")) {
            if (System.nanoTime() - giveUp > 0) {
                throw new SandboxException("The Python session in sandbox " + sandbox.id() + " did not answer within "
                        + timeout.toSeconds() + " s and the polls after it.");
            }
            ExecResult exec = exchange(sandbox, command("poll", id, deadline, timing, List.of(), List.of()), timing);
            cost = cost.add(exec.cost());
            polls++;
            answer = parse(sandbox, exec);
        }
        return result(sandbox.id(), answer, polls, Duration.ofNanos(System.nanoTime() - started), cost);
    }

    /** How long one exec waits for the cell: until its deadline, within the exec limit. */
    private static double waitFor(Timing timing, long deadline) {
        double remaining = Math.max(0, (deadline - System.nanoTime()) / 1e9);
        return Math.min(remaining, timing.maxWait());
    }

    private static List<String> command(String mode, String id, long deadline, Timing timing, List<String> kernel,
            List<String> cell) {
        // The exec that reaches the deadline interrupts the cell itself, so a timed-out cell costs no extra exec.
        boolean last = (deadline - System.nanoTime()) / 1e9 <= timing.maxWait();
        return command(mode, id, waitFor(timing, deadline), last, timing.interruptGrace(), kernel, cell);
    }

    private static List<String> command(String mode, String id, double wait, boolean last, double grace,
            List<String> kernel, List<String> cell) {
        List<String> command = new ArrayList<>(List.of("python3", "-c", CLIENT, DIRECTORY, mode, id,
                seconds(wait), last ? seconds(grace) : "0", Integer.toString(kernel.size())));
        command.addAll(kernel);
        command.addAll(cell);
        return command;
    }

    private static ExecResult exchange(Sandbox sandbox, List<String> command, Timing timing) {
        // The client bounds its own wait; the exec may last as long as the provider allows, at no extra cost,
        // so a slow start of Python on a busy machine does not cut the answer off.
        double wait = Double.parseDouble(command.get(6)) + Double.parseDouble(command.get(7));
        Duration timeout = Duration.ofMillis((long) (wait * 1000)).plus(timing.margin()).multipliedBy(2);
        Duration max = sandbox.limits().maxExecTimeout();
        return sandbox.exec(new ExecRequest(command, sandbox.limits().execTimeout(timeout.compareTo(max) > 0 ? max : timeout)));
    }

    private static JsonNode parse(Sandbox sandbox, ExecResult exec) {
        if (exec.timedOut()) {
            // The exec ended before its client answered (a busy machine); the kernel goes on, so poll it.
            return JSON.createObjectNode().put("pending", 1);
        }
        if (exec.succeeded() && !exec.truncated()) {
            try {
                return JSON.readTree(exec.stdout());
            } catch (IOException e) {
                // fall through: not the client's answer
            }
        }
        String error = exec.stderr().strip();
        throw new SandboxException("The Python session in sandbox " + sandbox.id() + " did not answer (exit code "
                + exec.exitCode() + (exec.timedOut() ? ", timed out" : "") + (exec.truncated() ? ", output cut" : "") + ")"
                + (error.isEmpty() ? "." : ": " + abbreviate(error)));
    }

    private static CellResult result(String sandboxId, JsonNode answer, int polls, Duration duration, BigDecimal cost) {
        JsonNode error = answer.path("error");
        List<CellResult.File> files = new ArrayList<>();
        for (JsonNode file : answer.path("files")) {
            files.add(new CellResult.File(file.path("path").asText(), file.path("size").asLong(),
                    file.path("created").asBoolean(), file.path("figure").asBoolean()));
        }
        boolean killed = answer.has("killed");
        boolean interrupted = answer.has("interrupted");
        return new CellResult(sandboxId, answer.path("count").asInt(0), answer.path("stdout").asText(""),
                answer.path("stderr").asText(""), answer.path("value").isTextual() ? answer.path("value").asText() : null,
                error.isObject() ? new CellResult.Error(error.path("type").asText(), error.path("message").asText(),
                        error.path("traceback").asText()) : null,
                files, answer.path("restarted").asBoolean(false), killed || answer.has("died"), interrupted, polls,
                duration, cost);
    }

    private static CellResult withRestarted(CellResult r) {
        return new CellResult(r.sandboxId(), r.executionCount(), r.stdout(), r.stderr(), r.value(), r.error(), r.files(),
                true, r.sessionEnded(), r.timedOut(), r.polls(), r.duration(), r.cost());
    }

    private static boolean fits(SandboxLimits limits, List<String> command) {
        try {
            limits.checkCommand(new ExecRequest(command, null));
            return true;
        } catch (SandboxLimitException e) {
            return false;
        }
    }

    /**
     * The waits of one exec: it waits for the cell for {@code maxWait}, then, when it reaches the cell's
     * timeout, gives an interrupted cell {@code interruptGrace} to stop; {@code margin} is left for Python
     * to start and answer. On BlockRun's 60 s: 53 s of waiting, 2 s of grace and 5 s of margin.
     */
    record Timing(double maxWait, double interruptGrace, Duration margin) {
        static Timing of(SandboxLimits limits) {
            Duration max = limits.maxExecTimeout();
            Duration third = max.dividedBy(3);
            Duration sixth = max.dividedBy(6);
            Duration margin = third.compareTo(Duration.ofSeconds(5)) < 0 ? third : Duration.ofSeconds(5);
            Duration grace = sixth.compareTo(Duration.ofSeconds(2)) < 0 ? sixth : Duration.ofSeconds(2);
            return new Timing(max.minus(margin).minus(grace).toMillis() / 1000.0, grace.toMillis() / 1000.0, margin);
        }
    }

    private static List<String> split(String data, int segmentChars) {
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < data.length(); i += segmentChars) {
            segments.add(data.substring(i, Math.min(data.length(), i + segmentChars)));
        }
        return segments;
    }

    private static String seconds(double seconds) {
        return String.format(java.util.Locale.ROOT, "%.2f", seconds);
    }

    /** zlib, then base64: what the client decodes. */
    static String encode(String text) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } finally {
            deflater.end();
        }
    }

    private static String resource(String name) {
        try (InputStream in = PythonKernel.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource io/sandbox402/tools/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : "..." + text.substring(text.length() - 497);
    }
}
