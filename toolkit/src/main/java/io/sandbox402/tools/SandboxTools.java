package io.sandbox402.tools;

import static io.sandbox402.internal.Checks.ensureNotNull;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.SandboxStatus;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * BlockRun's four sandbox operations as tools: create, exec, status, terminate. The model manages
 * sandboxes itself; {@link SandboxSessions} still bounds how many it may create and terminates what
 * is left when the conversation closes. For a managed sandbox use {@link CodeInterpreterTools}.
 *
 * <p>Thread-safe: it keeps no state of its own; each conversation's state is in {@link SandboxSessions}.
 */
public final class SandboxTools {
    private final SandboxSessions sessions;
    private final CodeRunListener listener;

    /**
     * Tools that report to no listener.
     *
     * @param sessions the conversations' sandboxes and limits; the caller closes it
     */
    public SandboxTools(SandboxSessions sessions) {
        this(sessions, new CodeRunListener() {});
    }

    /**
     * Tools that report each {@code exec_command} to {@code listener}.
     *
     * @param sessions the conversations' sandboxes and limits; the caller closes it
     * @param listener sees each run; thread-safe
     */
    public SandboxTools(SandboxSessions sessions, CodeRunListener listener) {
        this.sessions = ensureNotNull(sessions, "sessions");
        this.listener = ensureNotNull(listener, "listener");
    }

    /**
     * The {@code create_sandbox} tool: a new sandbox for the conversation, within its limit.
     *
     * @param memoryId the conversation (its {@code @MemoryId}); null for an assistant without chat memory
     * @param image the container image; null for the provider's default
     * @param timeoutSeconds how long the sandbox may live, in seconds; null for the provider's default
     * @param gpu a GPU type, for instance {@code T4}; null for CPU only
     * @param setupCommands shell commands run once at creation; may be null
     * @return the new sandbox's id, or the failure
     */
    @Tool(name = "create_sandbox", value = {
            "Creates an isolated Linux sandbox (Python 3.11) and returns its sandbox_id.",
            "Files and packages persist in it across exec_command calls until it is terminated.",
            "On a paid provider a create is a paid request (a GPU costs more, a long lifetime may be billed by the hour);"
                    + " the result reports its cost.",
            "You MUST call terminate_sandbox when you are done with it."})
    public String createSandbox(
            @ToolMemoryId @Nullable Object memoryId,
            @P(value = "Container image, for instance python:3.11", required = false) String image,
            @P(name = "timeout_seconds", value = "How long the sandbox may live, in seconds", required = false) @Nullable Integer timeoutSeconds,
            @P(value = "A GPU: T4, L4, A10G, A100, A100-80GB or H100. Omit for CPU.", required = false) String gpu,
            @P(name = "setup_commands", value = "Shell commands to run once at creation, for instance [\"pip install numpy\"]", required = false)
                    List<String> setupCommands) {
        try {
            SandboxSpec.Builder spec = SandboxSpec.builder().image(image).gpu(gpu);
            if (timeoutSeconds != null) {
                spec.timeout(Duration.ofSeconds(timeoutSeconds));
            }
            if (setupCommands != null) {
                spec.setupCommands(setupCommands);
            }
            Sandbox sandbox = sessions.create(memoryId, spec.build());
            return "sandbox_id: " + sandbox.id() + "\nstatus: running\nRemember to terminate it with terminate_sandbox.";
        } catch (RuntimeException e) {
            return ToolResults.failure(e);
        }
    }

    /**
     * The {@code exec_command} tool: runs a command in one of the conversation's sandboxes. A timeout above
     * one exec's limit runs it in the background and polls.
     *
     * @param memoryId the conversation (its {@code @MemoryId}); null for an assistant without chat memory
     * @param sandboxId a sandbox of this conversation
     * @param command an argv run without a shell; exactly one of it and {@code shellCommand}
     * @param shellCommand a line run with {@code sh -c}; exactly one of it and {@code command}
     * @param timeoutSeconds whole seconds, at least 1; null for the sandbox's default
     * @return the result for the model; failures and limits are reported here, not thrown
     */
    @Tool(name = "exec_command", value = {
            "Runs a command in a sandbox and returns its exit code, stdout and stderr.",
            "Give either command (an argv array, run without a shell) or shell_command (a string run with sh -c).",
            "State persists between calls. On a paid provider each call is a paid request, and the result reports its cost."})
    public String execCommand(
            @ToolMemoryId @Nullable Object memoryId,
            @P(name = "sandbox_id", value = "The sandbox_id from create_sandbox") String sandboxId,
            @P(value = "The program and its arguments, for instance [\"python3\", \"-c\", \"print(2+2)\"]", required = false)
                    List<String> command,
            @P(name = "shell_command", value = "A shell command line, for instance \"ls -la && python3 main.py\"", required = false) String shellCommand,
            @P(name = "timeout_seconds", value = "Timeout in seconds. Longer than one exec allows (60 s on BlockRun), the"
                    + " command runs in the background and is polled; each poll is paid on a paid provider.", required = false)
                    Integer timeoutSeconds) {
        try {
            boolean hasArgv = command != null && !command.isEmpty();
            boolean hasShell = shellCommand != null && !shellCommand.isBlank();
            if (hasArgv == hasShell) {
                throw new IllegalArgumentException("Give exactly one of command (an array) or shell_command (a string).");
            }
            ExecRequest request = hasArgv ? new ExecRequest(command, null) : ExecRequest.shell(shellCommand);
            if (timeoutSeconds != null) {
                request = request.withTimeout(Duration.ofSeconds(CodeInterpreterTools.positive(timeoutSeconds)));
            }
            Sandbox sandbox = sessions.find(memoryId, ensureNotNull(sandboxId, "sandbox_id"));
            sessions.countExec(memoryId);
            String code = hasArgv ? String.join(" ", command) : shellCommand;
            listener.started(memoryId, "exec_command", "shell", code);
            CodeInterpreterTools.Run run = request.timeout() != null
                    && request.timeout().compareTo(sandbox.limits().maxExecTimeout()) > 0
                    ? CodeInterpreterTools.background(sandbox, request) : new CodeInterpreterTools.Run(sandbox.exec(request), -1);
            listener.finished(memoryId, "exec_command", "shell", code, sandbox.id(), run.result());
            return ToolResults.exec(sandbox.id(), run.result(), sessions, memoryId, run.polls());
        } catch (RuntimeException e) {
            return ToolResults.failure(e);
        }
    }

    /**
     * The {@code sandbox_status} tool: asks the provider whether a sandbox is running.
     *
     * @param memoryId the conversation (its {@code @MemoryId}); null for an assistant without chat memory
     * @param sandboxId a sandbox of this conversation
     * @return its state (and exit code, once it has one), or the failure
     */
    @Tool(name = "sandbox_status", value = {"Says whether a sandbox is running. A paid request on a paid provider."})
    public String sandboxStatus(@ToolMemoryId @Nullable Object memoryId, @P(name = "sandbox_id", value = "The sandbox_id") String sandboxId) {
        try {
            SandboxStatus status = sessions.find(memoryId, ensureNotNull(sandboxId, "sandbox_id")).status();
            return "sandbox_id: " + status.sandboxId() + "\nstatus: " + status.state()
                    + (status.exitCode() == null ? "" : "\nexit_code: " + status.exitCode());
        } catch (RuntimeException e) {
            return ToolResults.failure(e);
        }
    }

    /**
     * The {@code terminate_sandbox} tool: terminates one of the conversation's sandboxes. Idempotent.
     *
     * @param memoryId the conversation (its {@code @MemoryId}); null for an assistant without chat memory
     * @param sandboxId a sandbox of this conversation
     * @return its new state, or the failure
     */
    @Tool(name = "terminate_sandbox", value = {
            "Terminates a sandbox and deletes its files. You MUST call it when you are done; a running sandbox costs money."})
    public String terminateSandbox(@ToolMemoryId @Nullable Object memoryId, @P(name = "sandbox_id", value = "The sandbox_id") String sandboxId) {
        try {
            sessions.terminate(memoryId, ensureNotNull(sandboxId, "sandbox_id"));
            return "sandbox_id: " + sandboxId + "\nstatus: terminated";
        } catch (RuntimeException e) {
            return ToolResults.failure(e);
        }
    }
}
