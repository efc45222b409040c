package io.sandbox402.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.agent.OpenAiChatCompletions;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat} on a real terminal (tmux): commands, a turn that runs code, the history (Up), Ctrl-C that
 * clears the line at the prompt and cancels a turn, not the chat, and Ctrl-D that leaves.
 */
class ChatTerminalTest {
    @TempDir
    Path dir;

    @Test
    void should_keep_the_chat_when_ctrl_c_cancels_a_turn() throws Exception {
        Prerequisites.require(new ProcessBuilder("tmux", "-V").start().waitFor() == 0, "tmux is not installed (apt-get install tmux)");
        try (LocalProvider local = LocalProvider.builder().shutdownHook(false).build()) {
            Prerequisites.require(local.isAvailable(), local.description());
        }
        String session = "chat-" + UUID.randomUUID().toString().substring(0, 8);
        try (MockWebServer model = new MockWebServer()) {
            model.enqueue(OpenAiChatCompletions.toolCall("call_1", "run_code",
                    "{\"language\":\"python\",\"code\":\"open('x.txt','w').write('seven'); print(6 * 7)\"}"));
            model.enqueue(OpenAiChatCompletions.answer("It is 42."));
            model.enqueue(OpenAiChatCompletions.answer("Still 42."));
            model.enqueue(OpenAiChatCompletions.toolCall("call_2", "run_code", "{\"language\":\"bash\",\"code\":\"sleep 60\"}"));
            model.start();
            List<String> command = new ArrayList<>(List.of("tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "50",
                    "-c", dir.toString(), "-e", "OPENAI_BASE_URL=" + model.url("/v1"), "-e", "LANG=C.UTF-8",
                    "-e", ChatCommand.HISTORY_VARIABLE + "=" + dir.resolve("history")));
            command.add(String.join(" ", CliProcess.builder(java.util.Map.of(), "chat", "--sandbox", "local").command()
                    .stream().map(ChatTerminalTest::quote).toList()) + "; sleep 30");
            assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
            try {
                await(session, screen -> screen.contains("you> "));
                keys(session, "/cost", "Enter");
                await(session, screen -> screen.contains("free: the local sandbox is not paid"));
                keys(session, "what is 6 times 7?", "Enter");
                await(session, screen -> screen.contains("assistant> It is 42."));
                assertThat(model.takeRequest().getBody().utf8()).contains("what is 6 times 7?");
                model.takeRequest(); // the run's output
                keys(session, "Up", "Enter"); // the line again, from the history
                await(session, screen -> screen.contains("assistant> Still 42."));
                assertThat(model.takeRequest().getBody().utf8().split("what is 6 times 7\\?", -1))
                        .as("the line was sent again").hasSize(3);
                keys(session, "/files", "Enter");
                await(session, screen -> screen.contains("x.txt"));
                keys(session, "/get x.txt", "Enter");
                await(session, screen -> screen.contains("saved " + dir.resolve("x.txt") + " (5 bytes)"));
                keys(session, "half typed");
                await(session, screen -> screen.contains("you> half typed"));
                keys(session, "C-c"); // at the prompt: clears the line, the chat goes on
                await(session, screen -> screen.contains("(Ctrl-C cancels a running turn; /quit leaves)"));
                keys(session, "wait a minute", "Enter");
                await(session, screen -> screen.contains("sleep 60"));
                String waiting = model.takeRequest().getBody().utf8();
                assertThat(waiting).contains("wait a minute").doesNotContain("half typed");
                keys(session, "C-c");
                await(session, screen -> screen.contains("(cancelled)"));
                keys(session, "C-d"); // ends it like /quit
                await(session, screen -> screen.contains("[chat ended, free local sandbox; the sandbox was terminated]"));
                assertThat(Files.readString(dir.resolve("x.txt"), StandardCharsets.UTF_8)).isEqualTo("seven");
                assertThat(Files.readString(dir.resolve("history"), StandardCharsets.UTF_8))
                        .contains("/cost", "what is 6 times 7?", "wait a minute").doesNotContain("half typed");
            } finally {
                new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor();
            }
        }
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    private static void keys(String session, String... keys) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "send-keys", "-t", session));
        command.addAll(List.of(keys));
        assertThat(new ProcessBuilder(command).start().waitFor()).isZero();
    }

    /** Polls the screen until {@code ready} holds; fails with the screen after 60 s. */
    private static void await(String session, Predicate<String> ready) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String screen = "";
        while (Instant.now().isBefore(deadline)) {
            Process capture = new ProcessBuilder("tmux", "capture-pane", "-p", "-J", "-S", "-200", "-t", session).start();
            screen = new String(capture.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            capture.waitFor();
            if (ready.test(screen)) {
                return;
            }
            Thread.onSpinWait();
            Thread.sleep(100); // a poll interval, not a wait for an outcome: the deadline bounds the wait
        }
        throw new AssertionError("Timed out waiting on the terminal; it shows:\n" + screen);
    }
}
