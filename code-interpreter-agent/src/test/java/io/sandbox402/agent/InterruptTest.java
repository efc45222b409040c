package io.sandbox402.agent;

import static io.sandbox402.testing.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.testing.ScriptedChatModel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InterruptTest {

    @Test
    void should_terminate_the_sandbox_when_the_solving_thread_is_interrupted() throws Exception {
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
            // given a task whose code runs for a long time
            ScriptedChatModel model = new ScriptedChatModel(
                    toolCall("run_code", "{\"language\":\"bash\",\"code\":\"sleep 30\"}"),
                    request -> ScriptedChatModel.answerOf("Stopped: " + ScriptedChatModel.lastToolResult(request)));
            CountDownLatch running = new CountDownLatch(1);
            AtomicReference<Thread> solver = new AtomicReference<>();
            CodeInterpreter interpreter = CodeInterpreter.builder().chatModel(model).sandboxProvider(local)
                    .listener(new CodeInterpreterListener() {
                        @Override
                        public void stepStarted(int number, String language, String code) {
                            running.countDown();
                        }
                    })
                    .build();

            // when the thread is interrupted mid-run
            CompletableFuture<Solution> solution = CompletableFuture.supplyAsync(() -> {
                solver.set(Thread.currentThread());
                return interpreter.solve("Wait");
            });
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            awaitProcess("sleep 30", Duration.ofSeconds(30));
            solver.get().interrupt();

            // then the run stops at once, the model is told, and the sandbox is gone
            Solution result = solution.get(20, TimeUnit.SECONDS);
            assertThat(result.answer()).startsWith("Stopped: SANDBOX ERROR: Interrupted while running a command in sandbox local-");
            assertThat(result.allTerminated()).isTrue();
            assertThat(local.runningSandboxes()).isZero();
            interpreter.close();
        }
    }

    /** Polls until a process of this JVM's runs {@code commandLine}: the step's code, not only its sandbox, is running. */
    private static void awaitProcess(String commandLine, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ProcessHandle.current().descendants().noneMatch(p -> p.info().commandLine().orElse("").contains(commandLine))) {
            assertThat(System.nanoTime() - deadline).as("no process runs '" + commandLine + "' after " + timeout).isNegative();
            Thread.sleep(20); // a poll interval, not a wait for something to happen
        }
    }
}
