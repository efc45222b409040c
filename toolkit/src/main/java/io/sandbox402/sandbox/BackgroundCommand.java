package io.sandbox402.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox402.x402.internal.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A command running in the background of a sandbox, for work longer than one exec may last (60 s on
 * BlockRun). Built on exec alone, as BlockRun's own agent does: a first exec starts it with
 * {@code nohup} in its own session, its output going to files and its exit code to a file when it
 * ends; each later exec (a paid poll on BlockRun) waits for that file for nearly the provider's
 * longest exec, then returns the exit code and the output's last {@value #MAX_OUTPUT_CHARS}
 * characters. The process must survive the exec that started it, as it does on Modal.
 *
 * <pre>{@code
 * BackgroundCommand job = sandbox.start(ExecRequest.shell("python3 train.py").withTimeout(Duration.ofMinutes(10)));
 * ExecResult result = job.await(Duration.ofMinutes(11));  // stops it if it is still running then
 * System.out.println(result.exitCode() + " after " + job.polls() + " polls costing " + Usdc.format(job.cost()));
 * }</pre>
 *
 * <p>Not thread-safe: one thread awaits a command.
 */
public final class BackgroundCommand {
    /** What {@link Sandbox#run} waits beyond a command's own timeout: time for its last poll. */
    static final Duration AWAIT_MARGIN = Duration.ofSeconds(10);
    /** Output kept per stream: enough for any model or log, small enough for every provider's output cap. */
    static final int MAX_OUTPUT_CHARS = 128 * 1024;
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final SecureRandom RANDOM = new SecureRandom();

    // Starts "$@" in its own session (so cancel kills its whole group), immune to hangups, with the
    // exit code written last through a rename: a poll sees either no rc or a complete one.
    private static final String LAUNCHER = "d=$1; t=$2; shift 2; mkdir -p \"$d\" || exit 1\n"
            + "if [ \"$t\" -gt 0 ] && command -v timeout >/dev/null 2>&1; then set -- timeout -k 5 \"$t\" \"$@\"; fi\n"
            + "s=; if command -v setsid >/dev/null 2>&1; then s=setsid; fi\n"
            + "nohup $s sh -c 'd=$1; shift; \"$@\" >\"$d/out\" 2>\"$d/err\" </dev/null; echo $? >\"$d/rc.tmp\";"
            + " mv \"$d/rc.tmp\" \"$d/rc\"' sh \"$d\" \"$@\" >/dev/null 2>&1 &\n"
            + "echo $! >\"$d/pid\"; echo $!";

    // Waits up to w seconds for rc (or kills the group first with mode kill), then reports as JSON.
    private static final String POLLER = "import os,sys,time,json,signal\n"
            + "d,w,m,k=sys.argv[1],float(sys.argv[2]),int(sys.argv[3]),sys.argv[4]=='kill'\n"
            + "f=lambda n:os.path.join(d,n)\n"
            + "def pid():\n try:return int(open(f('pid')).read())\n except Exception:return 0\n"
            + "if k and not os.path.exists(f('rc')):\n"
            + " open(f('killed'),'w').close();p=pid()\n"
            + " for s in(signal.SIGTERM,signal.SIGKILL):\n"
            + "  for g in(os.killpg,os.kill):\n"
            + "   try:g(p,s)\n   except Exception:pass\n"
            + "  time.sleep(0.5)\n"
            + "e=time.time()+w\n"
            + "while not os.path.exists(f('rc')) and time.time()<e:time.sleep(0.1)\n"
            + "def r(n):\n try:\n  b=open(f(n),'rb').read();t=b.decode('utf-8','replace');return t[-m:],len(t)>m\n"
            + " except OSError:return '',False\n"
            + "o={'done':os.path.exists(f('rc')),'killed':os.path.exists(f('killed'))}\n"
            + "if o['done']:o['rc']=int(open(f('rc')).read().strip() or -1)\n"
            + "else:\n p=pid()\n try:os.kill(p,0);o['alive']=p>0\n except PermissionError:o['alive']=True\n"
            + " except Exception:o['alive']=False\n"
            + "if o['done'] or k or not o['alive']:\n o['out'],o['outCut']=r('out');o['err'],o['errCut']=r('err')\n"
            + "print(json.dumps(o))\n";

    private final Sandbox sandbox;
    private final ExecRequest request;
    private final String directory;
    private final long startedNanos;
    private BigDecimal cost;
    private int polls;
    private ExecResult result;
    private boolean completed;

    private BackgroundCommand(Sandbox sandbox, ExecRequest request, String directory, long startedNanos, BigDecimal cost) {
        this.sandbox = sandbox;
        this.request = request;
        this.directory = directory;
        this.startedNanos = startedNanos;
        this.cost = cost;
    }

    static BackgroundCommand start(Sandbox sandbox, ExecRequest request) {
        String directory = "/tmp/.sandbox402/bg-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        long timeoutSeconds = request.timeout() == null ? 0 : Math.max(1, (request.timeout().toMillis() + 999) / 1000);
        List<String> command = new ArrayList<>(List.of("sh", "-c", LAUNCHER, "sh", directory, Long.toString(timeoutSeconds)));
        command.addAll(request.command());
        long started = System.nanoTime();
        ExecResult launched = sandbox.exec(new ExecRequest(command, shortTimeout(sandbox.limits(), Duration.ofSeconds(30))));
        if (!launched.succeeded()) {
            throw new SandboxException("Cannot start " + String.join(" ", request.command()) + " in the background of sandbox "
                    + sandbox.id() + " (exit code " + launched.exitCode() + "): " + launched.stderr().strip());
        }
        return new BackgroundCommand(sandbox, request, directory, started, launched.cost());
    }

    /**
     * Waits for the command, polling with execs each within the provider's limit, for at most
     * {@code deadline} from now. A command still running then is stopped and its result says it timed out.
     *
     * @param deadline how long to wait from now; may exceed the provider's exec limit
     * @return its output (the last {@value #MAX_OUTPUT_CHARS} characters of each stream), exit code and
     *     the cost of all its execs
     * @throws SandboxException when the command vanished without an exit code (the provider does not keep
     *     background processes between execs) or a poll failed
     */
    public ExecResult await(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (result == null) {
            long remaining = end - System.nanoTime();
            if (remaining <= 0) {
                return stop(true);
            }
            poll(Duration.ofNanos(remaining));
        }
        return result;
    }

    /**
     * One paid poll that does not wait: the result when the command ended, else empty.
     *
     * @return the result once the command has ended, else empty
     * @throws SandboxException when the poll failed or the command vanished without an exit code
     */
    public Optional<ExecResult> poll() {
        if (result == null) {
            poll(Duration.ZERO);
        }
        return Optional.ofNullable(result);
    }

    /**
     * Stops the command and its children (TERM, then KILL) if it is still running: one exec. Idempotent.
     *
     * @return its result: exit code 137 when it was killed, its own when it had ended
     */
    public ExecResult cancel() {
        return result != null ? result : stop(false);
    }

    private ExecResult stop(boolean deadline) {
        JsonNode state = exchange(0, true);
        if (result == null) {
            result = resultOf(state, deadline);
        }
        return result;
    }

    private void poll(Duration remaining) {
        SandboxLimits limits = sandbox.limits();
        Duration max = limits.maxExecTimeout();
        // Leave the exec time to start Python and answer: 5 s of BlockRun's 60, a third of a short limit.
        Duration margin = max.dividedBy(3).compareTo(Duration.ofSeconds(5)) < 0 ? max.dividedBy(3) : Duration.ofSeconds(5);
        Duration wait = max.minus(margin);
        if (remaining.compareTo(wait) < 0) {
            wait = remaining;
        }
        JsonNode state = exchange(wait.toMillis() / 1000.0, false);
        if (state.path("done").asBoolean(false)) {
            result = resultOf(state, false);
        } else if (!state.path("alive").asBoolean(true)) {
            throw new SandboxException("The background command " + String.join(" ", request.command()) + " in sandbox "
                    + sandbox.id() + " ended without an exit code: something killed it from outside, or the provider stops"
                    + " background processes when the exec that started them ends. Output so far: "
                    + abbreviate(state.path("out").asText("")) + " / " + abbreviate(state.path("err").asText("")));
        }
    }

    private JsonNode exchange(double waitSeconds, boolean kill) {
        SandboxLimits limits = sandbox.limits();
        for (int chars = MAX_OUTPUT_CHARS; ; chars /= 16) {
            ExecResult answer = sandbox.exec(new ExecRequest(List.of("python3", "-c", POLLER, directory,
                    String.format(java.util.Locale.ROOT, "%.1f", waitSeconds), Integer.toString(chars), kill ? "kill" : "poll"),
                    shortTimeout(limits, limits.maxExecTimeout())));
            cost = cost.add(answer.cost());
            if (!kill) {
                polls++;
            }
            if (answer.succeeded() && !answer.truncated()) {
                try {
                    return JSON.readTree(answer.stdout());
                } catch (IOException e) {
                    // cut short by an output cap (JSON escapes can make output longer): ask for less
                }
            }
            if (chars < 1024 || !answer.succeeded() && !answer.truncated()) {
                throw new SandboxException("Cannot " + (kill ? "stop" : "poll") + " the background command in sandbox "
                        + sandbox.id() + " (exit code " + answer.exitCode() + "): " + abbreviate(answer.stderr().strip()));
            }
            kill = false; // the kill happened; only the output remains to fetch
        }
    }

    /** {@return whether {@link #cancel()} or a passed deadline stopped the command} */
    public boolean killed() {
        return result != null && (result.exitCode() == 137 || result.timedOut()) && !completed;
    }

    private ExecResult resultOf(JsonNode state, boolean stoppedByDeadline) {
        Duration duration = Duration.ofNanos(System.nanoTime() - startedNanos);
        String out = state.path("out").asText("");
        String err = state.path("err").asText("");
        boolean cut = state.path("outCut").asBoolean(false) || state.path("errCut").asBoolean(false);
        if (state.path("done").asBoolean(false) && !state.path("killed").asBoolean(false)) {
            int exitCode = state.path("rc").asInt(-1);
            // GNU timeout's 124: the command ran past the timeout asked for in start().
            boolean timedOut = request.timeout() != null && exitCode == ExecResult.TIMEOUT_EXIT_CODE;
            completed = true;
            return new ExecResult(out, err, exitCode, duration, cost, timedOut, cut);
        }
        return new ExecResult(out, err, stoppedByDeadline ? ExecResult.TIMEOUT_EXIT_CODE : 137, duration, cost,
                stoppedByDeadline, cut);
    }

    /**
     * {@return the paid polls so far (execs that waited for the command)} Starting and stopping it are one
     * exec each.
     */
    public int polls() {
        return polls;
    }

    /** {@return what every exec of this command cost so far, in US dollars: start, polls and stop} */
    public BigDecimal cost() {
        return cost;
    }

    /** {@return the directory in the sandbox holding the command's {@code out}, {@code err}, {@code pid} and {@code rc}} */
    public String directory() {
        return directory;
    }

    /** {@return the command as started} */
    public ExecRequest request() {
        return request;
    }

    private static Duration shortTimeout(SandboxLimits limits, Duration wanted) {
        Duration timeout = wanted.compareTo(limits.maxExecTimeout()) > 0 ? limits.maxExecTimeout() : wanted;
        return timeout.compareTo(limits.minExecTimeout()) < 0 ? limits.minExecTimeout() : timeout;
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : "..." + text.substring(text.length() - 497);
    }

    @Override
    public String toString() {
        return "BackgroundCommand{" + sandbox.id() + ", " + directory + (result == null ? ", running" : ", exit " + result.exitCode())
                + ", polls=" + polls + "}";
    }
}
