package io.sandbox402.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.emulator.EmulatorHttp.Answer;
import io.sandbox402.sandbox.ExecRequest;
import io.sandbox402.sandbox.ExecResult;
import io.sandbox402.sandbox.Sandbox;
import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxSpec;
import io.sandbox402.sandbox.SandboxStatus;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sandboxes end by themselves at their timeout; execs end at the exec limit. With a 2 s test profile. */
class BlockRunEmulatorLifetimeTest {
    static final BlockRunProfile QUICK = BlockRunProfile.publicBeta().toBuilder()
            .name("quick")
            .minCreateTimeout(Duration.ofSeconds(2))
            .maxExecTimeout(Duration.ofSeconds(2))
            .build();

    LocalProvider local;
    BlockRunEmulator emulator;
    EmulatorHttp http;

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        emulator = BlockRunEmulator.builder().provider(local).profile(QUICK).build().start();
        http = new EmulatorHttp(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
        local.close();
    }

    @Test
    void should_end_a_sandbox_at_its_timeout() throws InterruptedException {
        // given
        long created = System.nanoTime();
        String id = http.create("{\"timeout\":2}");
        assertThat(emulator.runningSandboxes()).isEqualTo(1);

        // when
        awaitNoneRunning(emulator);

        // then: not before its timeout
        assertThat(Duration.ofNanos(System.nanoTime() - created)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        Answer status = http.paid("status", "{\"sandbox_id\":\"" + id + "\"}");
        assertThat(status.body().toString()).isEqualTo("{\"sandbox_id\":\"" + id + "\",\"status\":\"terminated\",\"returncode\":null}");
        Answer exec = http.exec(id, "true");
        assertThat(exec.code()).isEqualTo(404);
        assertThat(exec.body().toString())
                .isEqualTo("{\"error\":\"Bad Request\",\"details\":{\"detail\":\"Sandbox " + id + " has terminated\"}}");
        assertThat(exec.header("PAYMENT-RESPONSE")).isNull();
        assertThat(http.paid("terminate", "{\"sandbox_id\":\"" + id + "\"}").code()).isEqualTo(200);
    }

    @Test
    void should_reap_a_sandbox_even_when_its_provider_would_let_it_live() throws InterruptedException {
        // given a sandbox service that never ends sandboxes by itself
        Immortal immortal = new Immortal();
        try (BlockRunEmulator own = BlockRunEmulator.builder().provider(immortal).profile(QUICK).build().start()) {
            String id = new EmulatorHttp(own).create("{\"timeout\":2}");

            // when
            awaitNoneRunning(own);

            // then
            assertThat(immortal.terminated).isEqualTo(1);
            assertThat(new EmulatorHttp(own).paid("status", "{\"sandbox_id\":\"" + id + "\"}").body().get("status").asText())
                    .isEqualTo("terminated");
        }
    }

    /** Polls until {@code emulator} runs no sandbox; fails after 15 s (a 2 s lifetime, with room for a loaded machine). */
    static void awaitNoneRunning(BlockRunEmulator emulator) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (emulator.runningSandboxes() > 0) {
            assertThat(System.nanoTime()).as("the sandbox still runs 15 s after it was created").isLessThan(deadline);
            Thread.sleep(20); // a poll interval, not a wait for the outcome
        }
    }

    /** Sandboxes that run until terminate() is called, however long that takes. */
    static final class Immortal implements SandboxProvider {
        volatile int terminated;

        @Override
        public Sandbox create(SandboxSpec spec) {
            return new Sandbox() {
                volatile boolean running = true;

                @Override
                public String id() {
                    return "immortal";
                }

                @Override
                public ExecResult exec(ExecRequest request) {
                    return ExecResult.of("", "", 0, Duration.ZERO);
                }

                @Override
                public SandboxStatus status() {
                    return new SandboxStatus("immortal", running ? SandboxStatus.RUNNING : SandboxStatus.TERMINATED, null);
                }

                @Override
                public void terminate() {
                    if (running) {
                        running = false;
                        terminated++;
                    }
                }
            };
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String description() {
            return "immortal";
        }

        @Override
        public void close() {}
    }

    @Test
    void should_refuse_a_create_below_the_profiles_minimum() {
        Answer answer = http.post("create", "{\"timeout\":1}", null);

        assertThat(answer.code()).isEqualTo(400);
        assertThat(answer.body().get("details").get(0).get("message").asText()).isEqualTo("Number must be greater than or equal to 2");
    }

    @Test
    void should_stop_a_command_running_three_times_the_exec_limit_in_seconds() {
        // given
        String id = http.create("{\"timeout\":60}");
        long started = System.nanoTime();

        // when: no timeout given, so the profile's limit (2 s) applies
        Answer answer = http.exec(id, "sleep", "6");

        // then
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(answer.code()).isEqualTo(200);
        assertThat(answer.body().get("returncode").asInt()).isNotZero();
        assertThat(http.post("exec", EmulatorHttp.execBody(id, "sleep", "6").replace("}", ",\"timeout\":3}"), null).code())
                .isEqualTo(400);
    }
}
